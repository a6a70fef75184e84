/**
 * How sync talks to the OMS, whatever carries the bytes (HTTP or MQTT). Each call either resolves
 * with a parsed API reply or rejects with an OmsRequestError; the caller retries.
 *
 * @example
 *   const transport = new HttpTransport({ url: 'https://oms.example.com', store: 'ams-1', token });
 *   const reply = await transport.pushEvents(serializePush(rows));
 */
import type { FeedPage, PushReply, SnapshotReply, SnapshotRequest } from './omsApi.ts';

export interface OmsTransport {
  readonly kind: 'http' | 'mqtt';
  start(): Promise<void>;
  /** @param body a PushRequest as JSON text (serializePush), sent as is */
  pushEvents(body: string): Promise<PushReply>;
  fetchFeed(after: string | undefined, limit: number): Promise<FeedPage>;
  putInventory(snapshot: SnapshotRequest): Promise<SnapshotReply>;
  /** The OMS's clock at its last reply (from the Date header), for skew reporting. */
  readonly lastServerDate?: number;
  close(): Promise<void>;
}

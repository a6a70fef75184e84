import { describe, expect, it } from 'vitest';
import { gatewayUsername } from '../../gateway/broker/embeddedBroker.ts';
import { nextMessage, useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const topic = 'dsgw/v1/stations/pick-9/state';

describe('station screens on MQTT', () => {
  it('a station scanning in bursts publishes its latest screen, not one per scan, and a screen that connects later sees the latest', async () => {
    const gateway = await gw.start();
    const login = { username: gatewayUsername, password: gateway.broker!.gatewayPassword };
    const screen = await gw.connect(gateway.broker!.url, login);
    const shown: number[] = [];
    screen.on('message', (_t, payload) => shown.push((JSON.parse(payload.toString()) as { n: number }).n));
    await screen.subscribeAsync(topic, { qos: 1 });

    // A burst in one turn: only the last state goes out, and every caller learns it is delivered.
    await Promise.all(Array.from({ length: 30 }, (_, i) => gateway.link.publishStationState('pick-9', { n: i + 1 })));
    await waitFor('the first burst on the screen', () => shown.includes(30));
    // A second burst right after: held for the rest of the 100 ms, then the latest state.
    const second = Array.from({ length: 10 }, (_, i) => gateway.link.publishStationState('pick-9', { n: 31 + i }));
    await Promise.all(second);
    await waitFor('the second burst on the screen', () => shown.includes(40));
    // After a pause, a single change goes out at once.
    await new Promise((r) => setTimeout(r, 150));
    await gateway.link.publishStationState('pick-9', { n: 41 });
    await waitFor('the single change', () => shown.includes(41));
    expect(shown).toEqual([30, 40, 41]);

    const late = await gw.connect(gateway.broker!.url, login);
    const retained = nextMessage(late, topic);
    await late.subscribeAsync(topic, { qos: 1 });
    expect(JSON.parse(await retained)).toEqual({ n: 41 });
  });

  it('screens still waiting for their turn go out when the gateway stops', async () => {
    const gateway = await gw.start();
    const login = { username: gatewayUsername, password: gateway.broker!.gatewayPassword };
    const url = gateway.broker!.url;
    await gateway.link.publishStationState('pick-9', { n: 1 });
    // Within the 100 ms: held back, then flushed by the stop before the link closes.
    const pending = gateway.link.publishStationState('pick-9', { n: 2 });
    await gateway.link.stop();
    await pending;
    const late = await gw.connect(url, login);
    const retained = nextMessage(late, topic);
    await late.subscribeAsync(topic, { qos: 1 });
    expect(JSON.parse(await retained)).toEqual({ n: 2 });
  });
});

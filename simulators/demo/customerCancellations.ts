/**
 * Customers who change their mind: the simulated OMS cancels a share (`rate`) of the released
 * orders, each at a moment of its life drawn at random when it is released: right away, once
 * its first unit is picked, once it is picked, once its packing started, or once it is packed.
 * The simulated floor says when an order reaches a moment; the cancellation then goes into the
 * OMS feed, and reaches the gateway at its next feed pull, so the order may have moved on by
 * then (at full speed it often has): where it really was is what the staff saw.
 *
 * @example
 *   const cancellations = new CustomerCancellations({ rate: 0.02, seed: 8, cancel: (id) => oms.cancelOrder(store, id) });
 *   cancellations.released('O-1');        // decides whether and when O-1 is cancelled
 *   cancellations.reached('O-1', 'picked'); // cancels it now if that was its moment
 */
import { seededRandom } from '../cloud-oms/groceryCatalog.ts';

export const cancelMoments = ['released', 'picking', 'picked', 'packing', 'packed'] as const;
export type CancelMoment = (typeof cancelMoments)[number];

export class CustomerCancellations {
  /** Orders to cancel and the moment to do it. */
  private readonly planned = new Map<string, CancelMoment>();
  private readonly random: () => number;
  /** Orders whose cancellation went into the OMS feed. */
  readonly sent: string[] = [];

  constructor(private readonly options: { rate: number; seed: number; cancel: (orderId: string) => void }) {
    // A random source of its own: which orders are cancelled, and when, depends only on the release order.
    this.random = seededRandom(options.seed);
  }

  /** An order was released: decides whether its customer cancels it, and at which moment. */
  released(orderId: string): void {
    if (this.options.rate <= 0 || this.random() >= this.options.rate) return;
    const moment = cancelMoments[Math.floor(this.random() * cancelMoments.length)]!;
    if (moment === 'released') this.send(orderId);
    else this.planned.set(orderId, moment);
  }

  /** The floor says an order reached a moment of its life: its cancellation goes out if this was the moment. */
  reached(orderId: string, moment: CancelMoment): void {
    if (this.planned.get(orderId) !== moment) return;
    this.planned.delete(orderId);
    this.send(orderId);
  }

  private send(orderId: string): void {
    this.sent.push(orderId);
    this.options.cancel(orderId);
  }
}

/**
 * English floor messages, one per message key. A message says what happened, why, and what to
 * do next, in words a picker reads in a second on a scanner or a station screen. Another
 * language is another file with the same keys (the type checks that none is missing).
 */
import type { MessageParams } from './messages.ts';

type Text = (p: MessageParams) => string;

const kg = (grams: unknown) => (Number(grams) / 1000).toFixed(2);
/** Where a case stands against its ASN, when it was received against one. */
const asnNote = (p: MessageParams) => {
  if (!p.asn) return '';
  if (p.supervisor) return ` (ASN ${p.asn}: not on it, accepted by ${p.supervisor})`;
  const over = Number(p.received) - Number(p.expected);
  return ` (ASN ${p.asn}: ${p.received} of ${p.expected}${over > 0 ? `, ${over} over: flagged` : ''})`;
};
const plural = (n: unknown, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;
/** A bag's label: printed, or waiting for its printer (and why). */
const labelNote = (p: MessageParams) =>
  p.reason ? `label waits (SSCC ${p.sscc}): printer ${p.printer}: ${p.reason}; it prints once that is fixed, then stick it on` : `label printed (SSCC ${p.sscc}), stick it on`;

export const en = {
  'scan.unreadable': (p) => `unreadable barcode: ${p.detail}; scan again or key it in`,
  'scan.notExpected': (p) => `${p.what} not expected here: ${p.hint}`,
  'station.idle': () => 'no order: waiting for the next one',

  'pick.start': (p) => `order ${p.orderId}: ${p.lines} lines, start at bin ${p.bin}`,
  'pick.next': (p) => `pick ${p.qty} x ${p.name} from bin ${p.bin}`,
  'pick.scanBin': (p) => `scan bin ${p.bin} first, then ${p.name}`,
  'pick.ok': (p) => `ok: ${p.name}, ${p.picked} of ${p.qty}`,
  'pick.binOk': (p) => `bin ${p.bin} ok: now scan ${p.name}`,
  'pick.done': (p) => `order ${p.orderId} picked${Number(p.short) > 0 ? `, ${p.short} short` : ''}: take the tote to packing`,
  'pick.wrongItem': (p) => `wrong item: scanned ${p.scanned}, expected ${p.expected}`,
  'pick.unknownItem': (p) => `unknown item ${p.gtin}: not in the catalog; put it aside and call a supervisor`,
  'pick.notAnItem': (p) => `that is a ${p.kind} label, not an item: scan ${p.expected}`,
  'pick.wrongBin': (p) => `wrong bin: scanned ${p.scanned}, expected ${p.expected}`,
  'pick.expired': (p) => `expired lot ${p.lot ?? ''} (${p.expiry}): do not pick it, take one with a later date`.replace(' ()', ''),
  'pick.shortShelfLife': (p) => `too close to expiry: ${p.expiry} leaves ${p.daysLeft} days, ${p.minDays} needed; take one with a later date`,
  'pick.tooMany': (p) => `too many: ${p.qty} of ${p.name} ordered, already ${p.picked}; put the extra back`,
  'pick.weightMissing': (p) => `${p.name} is sold by weight: scan the price label with the weight`,
  'pick.weightOutOfRange': (p) => `weight ${kg(p.grams)} kg out of range for ${p.name}: expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg; take another`,
  'pick.short': (p) => `short: ${p.qty} x ${p.name} missing at bin ${p.bin}; recorded, a count is scheduled`,
  'pick.cancelledPicked': (p) => `order ${p.orderId} was cancelled just after picking: take tote ${p.tote} back and put its ${plural(p.units, 'unit')} in the returns tote`,
  'pick.cancelled': (p) => `order ${p.orderId} was cancelled: stop, ${Number(p.picked) > 0 ? `put the ${plural(p.picked, 'picked unit')} in the returns tote` : 'nothing was picked for it'}`,
  'pick.totePlaced': (p) => `tote ${p.tote} is for order ${p.orderId}`,

  'batch.scanTote': (p) => `scan an empty tote for slot ${p.slot} (order ${p.orderId})`,
  'batch.toteOk': (p) => `tote ${p.tote} in slot ${p.slot} for order ${p.orderId}`,
  'batch.toteInUse': (p) => `tote ${p.tote} is already in slot ${p.slot}: scan an empty tote for slot ${p.expectedSlot}`,
  'batch.totesFirst': (p) => `scan a tote for slot ${p.slot} first (order ${p.orderId})`,
  'batch.next': (p) => `pick ${p.qty} x ${p.name} from bin ${p.bin}${Number(p.orders) > 1 ? ` for ${p.orders} orders` : ''}`,
  'batch.put': (p) => `put ${p.qty} x ${p.name} in tote slot ${p.slot}${p.tote ? ` (${p.tote})` : ''}`,
  'batch.putOk': (p) => `ok: ${p.qty} x ${p.name} in slot ${p.slot}${p.orderDone ? `; order ${p.orderDone} is complete` : ''}`,
  'batch.putFirst': (p) => `put ${p.qty} x ${p.name} in tote slot ${p.slot}${p.tote ? ` (${p.tote})` : ''} first: scan its tote or press its light`,
  'batch.wrongTote': (p) => `wrong tote: ${p.scanned}; put ${p.qty} x ${p.name} in tote slot ${p.slot}${p.tote ? ` (${p.tote})` : ''}`,
  'batch.noPut': (p) => `nothing to put in tote ${p.tote}: pick ${p.name} from bin ${p.bin} first`,
  'batch.short': (p) => `short: ${p.qty} x ${p.name} missing at bin ${p.bin}${Number(p.orders) > 1 ? ` for ${p.orders} orders` : ''}; recorded, a count is scheduled`,
  'batch.cancelled': (p) =>
    `order ${p.orderId} in slot ${p.slot}${p.tote ? ` (${p.tote})` : ''} was cancelled: take the tote out${Number(p.picked) > 0 ? `, put its ${plural(p.picked, 'picked unit')} in the returns tote` : ''}${p.batchGoesOn ? '; the batch goes on' : ''}`,
  'batch.done': (p) =>
    `batch done: ${plural(p.orders, 'order')} picked${Number(p.short) > 0 ? `, ${plural(p.short, 'unit')} short` : ''}${Number(p.cancelled) > 0 ? `, ${p.cancelled} cancelled` : ''}${Number(p.orders) > 0 ? ': take the totes to packing' : ''}`,

  'pack.scanOrder': () => 'scan a tote or an order label to start packing',
  'pack.unknownOrder': (p) => `no picked order for ${p.id}: check the tote label or ask the picker`,
  'pack.notReady': (p) => `order ${p.orderId} is ${p.status}, not ready to pack`,
  'pack.start': (p) => `order ${p.orderId}: scan ${plural(p.units, 'unit')} into the bag`,
  'pack.restart': (p) => `order ${p.orderId} again from the start: empty the bag and scan its ${plural(p.units, 'unit')}`,
  'pack.finishFirst': (p) => `finish order ${p.orderId} first, or scan CMD-CANCEL to set its bag aside`,
  'pack.cancelled': (p) =>
    p.sscc
      ? `order ${p.orderId} was cancelled: stop, take back its ${plural(p.bags, 'bag')} packed already (SSCC ${p.sscc}) and put all its ${plural(p.units, 'unit')} in the returns tote`
      : `order ${p.orderId} was cancelled: stop, put its ${plural(p.units, 'unit')} in the returns tote`,
  'pack.orderCancelled': (p) => `order ${p.orderId} was cancelled: do not pack it; put its units in the returns tote`,
  'pack.cancelledPacked': (p) =>
    Number(p.bags ?? 1) > 1
      ? `order ${p.orderId} was cancelled after packing: take its ${p.bags} bags (SSCC ${p.sscc}) back and put its ${plural(p.units, 'unit')} in the returns tote`
      : `order ${p.orderId} was cancelled after packing: take its bag (SSCC ${p.sscc}) back and put its ${plural(p.units, 'unit')} in the returns tote`,
  'pack.setAside': (p) =>
    p.bags
      ? `order ${p.orderId} set aside: ${plural(p.bags, 'bag')} packed, the rest not yet: scan a tote or an order label`
      : `order ${p.orderId} set aside, not packed: scan a tote or an order label`,
  'pack.itemOk': (p) => `ok: ${p.name}, ${plural(p.left, 'unit')} left`,
  'pack.notInOrder': (p) => `not in this order: ${p.name}; put it aside`,
  'pack.tooMany': (p) => `already packed all ${p.qty} x ${p.name}; take the extra out`,
  'pack.weigh': (p) => `put the bag on the scale: expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg`,
  'pack.weighBag': (p) => `put bag ${p.bag} on the scale: expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg`,
  'pack.weighTrusted': (p) =>
    `put the bag on the scale: expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg (more than one bag: scan CMD-NEXTBAG once per extra bag, then weigh them together)`,
  'pack.weighTogether': (p) =>
    `order ${p.orderId} in ${p.bags} bags: put ${p.from ? `bags ${p.from} to ${p.bags}` : `all ${p.bags}`} on the scale together: expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg`,
  'pack.bagEmpty': (p) => `bag ${p.bag} is empty: scan units into it first, then CMD-NEXTBAG`,
  'pack.nextBag': (p) => `order ${p.orderId}: ${plural(p.bags, 'bag')} packed already; scan the other ${plural(p.units, 'unit')} into bag ${p.bag}`,
  'pack.weightOutOfTolerance': (p) =>
    `bag weighs ${kg(p.grams)} kg, expected ${kg(p.expected)} +/- ${kg(p.tolerance)} kg: check the items and weigh again, or a supervisor scans a badge`,
  'pack.passed': (p) => `bag ${kg(p.grams)} kg ok: label printed (SSCC ${p.sscc}), stick it on and put the bag on dispatch`,
  'pack.overridden': (p) => `override by ${p.supervisor}: label printed (SSCC ${p.sscc})`,
  'pack.bagPassed': (p) =>
    `${p.supervisor ? `bag ${p.bag}: override by ${p.supervisor}` : `bag ${p.bag} ${kg(p.grams)} kg ok`}: ${labelNote(p)}; scan the other ${plural(p.left, 'unit')} into bag ${p.next}`,
  'pack.passedBags': (p) =>
    `${p.supervisor ? `bag ${p.bag}: override by ${p.supervisor}` : `bag ${p.bag} ${kg(p.grams)} kg ok`}: ${labelNote(p)}; order ${p.orderId} is packed in ${p.bags} bags: put them all on dispatch`,
  'pack.passedTogether': (p) =>
    `${p.supervisor ? `${p.bags} bags: override by ${p.supervisor}` : `${p.bags} bags ${kg(p.grams)} kg ok`}: ${
      p.reason ? `labels wait (SSCC ${p.sscc}): printer ${p.printer}: ${p.reason}; they print once that is fixed` : `labels printed (SSCC ${p.sscc})`
    }, stick one on each bag; order ${p.orderId}: put all ${p.total} bags on dispatch`,
  'pack.passedLabelWaits': (p) => `bag ${kg(p.grams)} kg ok (SSCC ${p.sscc}), but the label waits: printer ${p.printer}: ${p.reason}; it prints once that is fixed, then stick it on`,
  'pack.overriddenLabelWaits': (p) => `override by ${p.supervisor} (SSCC ${p.sscc}), but the label waits: printer ${p.printer}: ${p.reason}; it prints once that is fixed`,
  'pack.notSupervisor': (p) => `badge ${p.badge} may not override a checkweigh; ask a supervisor`,
  'pack.noWeight': (p) => `no unit weight in the catalog for ${p.name}: a supervisor must override the checkweigh`,

  'dispatch.scanBag': () => 'scan the bag label',
  'dispatch.unknownBag': (p) => `no packed bag with label ${p.id}: reprint the label at packing`,
  'dispatch.notPacked': (p) => `order ${p.orderId} is ${p.status}, not packed: take it back to packing`,
  'dispatch.cancelled': (p) => `order ${p.orderId} was cancelled: do not ship it; put its units in the returns tote`,
  'dispatch.ready': (p) => `order ${p.orderId}: put the bag on the belt (or scan it again)`,
  'dispatch.readyBag': (p) => `order ${p.orderId}: put bag ${p.bag} of ${p.bags} on the belt (or scan it again)`,
  'dispatch.bagDone': (p) => `order ${p.orderId}: bag ${p.bag} of ${p.bags} gone; ${plural(p.left, 'bag')} of it still to go`,
  'dispatch.scanEachBag': (p) => `order ${p.orderId} is packed in ${p.bags} bags: scan each bag's own label`,
  'dispatch.bagGone': (p) => `bag ${p.sscc} of order ${p.orderId} is dispatched already; ${plural(p.left, 'bag')} of it still to go`,
  'dispatch.courier': (p) => `courier ${p.courier} takes the next bag`,
  'dispatch.done': (p) => `order ${p.orderId} dispatched${p.courier ? ` with ${p.courier}` : ''}`,

  'receive.scanCase': () => 'scan a case or an item to receive it',
  'receive.unknownItem': (p) => `unknown item ${p.gtin}: not in the catalog; set the case aside for the admin`,
  'receive.expired': (p) => `lot ${p.lot ?? ''} expired on ${p.expiry}: do not receive it; set it aside for return`,
  'receive.shortShelfLife': (p) => `lot expires ${p.expiry}, only ${p.daysLeft} days left, ${p.minDays} needed: set it aside for return`,
  'receive.received': (p) => `received ${p.qty} x ${p.name}${p.lot ? ` lot ${p.lot}` : ''}${asnNote(p)}: put away to bin ${p.bin}`,
  'receive.wrongBin': (p) => `wrong bin: scanned ${p.scanned}, put ${p.name} into ${p.expected}`,
  'receive.putaway': (p) => `${p.qty} x ${p.name} put away in ${p.bin}`,
  'receive.noBin': (p) => `received ${p.qty} x ${p.name}${asnNote(p)}: no bin has room, leave it at ${p.dock} and tell the admin`,
  'receive.binFirst': (p) => `finish the putaway first: scan bin ${p.bin}`,

  'asn.start': (p) => `ASN ${p.asn}${p.supplier ? ` from ${p.supplier}` : ''}: ${plural(p.lines, 'line')}, ${p.received} of ${plural(p.expected, 'unit')} received; scan the cases, CMD-CONFIRM closes it`,
  'asn.unknown': (p) => `no open ASN ${p.asn}: it is closed or the OMS has not sent it; check the delivery note, or receive blind`,
  'asn.notOnAsn': (p) => `${p.name} is not on ASN ${p.asn}: set the case aside, or a supervisor scans a badge to receive it as an over-receipt`,
  'asn.notSupervisor': (p) => `badge ${p.badge} may not accept a case that is not on the ASN; ask a supervisor`,
  'asn.closed': (p) =>
    Number(p.short) + Number(p.over) === 0
      ? `ASN ${p.asn} closed: every line as expected`
      : `ASN ${p.asn} closed with discrepancies: ${plural(p.short, 'line')} short, ${plural(p.over, 'line')} over or not on the ASN; the OMS is told`,
  'asn.left': (p) => `left ASN ${p.asn} open (${p.received} of ${plural(p.expected, 'unit')}): receiving blind`,

  'return.start': (p) => `returns from tote ${p.tote}: ${plural(p.units, 'unit')} of cancelled orders to put back; scan an item`,
  'return.none': () => 'no units of cancelled orders to put back',
  'return.item': (p) => `put ${p.qty} x ${p.name} (order ${p.orderId}) back in bin ${p.bin}, then scan bin ${p.bin}`,
  'return.counted': (p) =>
    `${p.counted} of up to ${p.qty} x ${p.name} (order ${p.orderId}): scan each unit you have, then bin ${p.bin} (the rest left with a bag)`,
  'return.tooMany': (p) => `order ${p.orderId} had only ${p.qty} x ${p.name} picked: put the extra aside and tell the admin; scan bin ${p.bin} for the ones counted`,
  'return.notOpen': (p) => `no cancelled order is waiting for ${p.name}: set it aside and tell the admin`,
  'return.wrongBin': (p) => `wrong bin: scanned ${p.scanned}, put ${p.name} back into ${p.expected}`,
  'return.done': (p) => `${p.qty} x ${p.name} back in ${p.bin}${Number(p.left) > 0 ? `: ${plural(p.left, 'unit')} left to put back` : ': all returns done'}`,
  'return.left': (p) => `returns paused: ${plural(p.left, 'unit')} still to put back`,

  'replenish.start': (p) => `replenish ${p.name}: take ${p.qty} from ${p.fromBin}${p.lot ? ` (lot ${p.lot})` : ''} to ${p.toBin}, then scan bin ${p.toBin}`,
  'replenish.done': (p) => `${p.qty} x ${p.name} moved from ${p.fromBin} to ${p.toBin}`,
  'replenish.wrongBin': (p) => `wrong bin: scanned ${p.scanned}, bring ${p.name} to ${p.expected}`,
  'count.start': (p) => `count ${p.name} in bin ${p.bin}: scan each unit, then CMD-CONFIRM`,
  'count.unit': (p) => `${p.counted} x ${p.name} counted`,
  'count.wrongItem': (p) => `not counted here: ${p.scanned}; this count is for ${p.expected}`,
  'count.done': (p) => `bin ${p.bin}: counted ${p.counted} x ${p.name}, expected ${p.expected} (${Number(p.delta) >= 0 ? '+' : ''}${p.delta})`,
} satisfies Record<string, Text>;

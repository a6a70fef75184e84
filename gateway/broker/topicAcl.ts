/**
 * Which topics a device may use (the device MQTT contract): publish its own events and status,
 * read its own commands and errors. Nothing else, and no wildcards outside its own subtree.
 */
export function deviceMayPublish(root: string, deviceId: string, topic: string): boolean {
  return topic === `${root}/devices/${deviceId}/events` || topic === `${root}/devices/${deviceId}/status`;
}

export function deviceMaySubscribe(root: string, deviceId: string, filter: string): boolean {
  return filter === `${root}/devices/${deviceId}/commands` || filter === `${root}/devices/${deviceId}/errors`;
}

/** Placeholder entry until the CLI lands in this same change series. */
export async function main(_argv: string[]): Promise<number> {
  console.log('darkstore-gateway: CLI not built yet');
  return 0;
}

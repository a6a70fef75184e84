/**
 * Barcode options per store (and per scanner, where a scanner overrides the store): FNC1
 * substitutes, variable-measure market and custom layouts, store label prefixes, SSCC prefix.
 * Mounted by the main config under `barcodes:`. Kept free of devices/ imports (dependencies
 * point downward); the decoder's BarcodeOptions type accepts what this schema produces.
 */
import { z } from 'zod';

const layoutSchema = z
  .object({
    prefix: z.string().regex(/^(02|2\d)$/, 'a variable-measure prefix is 02 or 20-29').describe('Two-digit RCN prefix this layout reads, e.g. "23".'),
    kind: z.enum(['weight', 'price', 'count']).describe('What the measure digits carry.'),
    itemLength: z.number().int().min(2).max(11).describe('Digits of the item reference, the prefix included (matched to the catalog).'),
    verifier: z.boolean().default(false).describe('A price/weight verifier digit follows the item reference (GS1 GenSpecs 7.9.2-7.9.4).'),
    valueLength: z.number().int().min(1).max(10).describe('Digits of the weight, price or count.'),
    decimals: z.number().int().min(0).max(6).default(0).describe('Implied decimals in the measure, e.g. 3 for grams as kg.'),
    unit: z.string().min(1).optional().describe('Unit of a weight, e.g. "kg".'),
    currency: z.string().regex(/^[A-Z]{3}$/).optional().describe('ISO 4217 currency of a price, e.g. "SEK".'),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.itemLength + (l.verifier ? 1 : 0) + l.valueLength !== 12) {
      ctx.addIssue({ code: 'custom', message: `item (${l.itemLength}) + verifier (${l.verifier ? 1 : 0}) + value (${l.valueLength}) digits must make 12 (13 with the check digit)` });
    }
    if (l.verifier && l.valueLength !== 4 && l.valueLength !== 5) ctx.addIssue({ code: 'custom', path: ['valueLength'], message: 'a verifier digit covers a 4- or 5-digit value only' });
    if (l.decimals > l.valueLength) ctx.addIssue({ code: 'custom', path: ['decimals'], message: 'more decimals than value digits' });
  });

const prefix = (name: string, fallback: string) =>
  z.string().min(1).nullable().default(fallback).describe(`Prefix of ${name} labels (Code 128/QR text); null turns them off.`);

const storeLabelsSchema = z
  .object({
    bin: prefix('bin', 'BIN-'),
    tote: prefix('tote', 'TOTE-'),
    bag: prefix('bag', 'BAG-'),
    badge: prefix('staff badge', 'EMP-'),
    asn: prefix('advance shipping notice (ASN)', 'ASN-'),
    command: prefix('command', 'CMD-'),
    commands: z
      .object({
        confirm: z.string().min(1).default('CONFIRM').describe('Text after the command prefix that confirms a pick.'),
        short: z.string().min(1).default('SHORT').describe('Text after the command prefix that records a short pick.'),
        cancel: z.string().min(1).default('CANCEL').describe('Text after the command prefix that cancels the current step.'),
        override: z.string().min(1).default('OVERRIDE').describe('Text after the command prefix that asks for a supervisor override.'),
        nextBag: z.string().min(1).default('NEXTBAG').describe('Text after the command prefix that closes the bag being packed and starts the next.'),
      })
      .strict()
      .prefault({})
      .describe('Command barcodes: the text after the command prefix for each command.'),
  })
  .strict()
  .prefault({})
  .describe('Store label prefixes; the longest matching prefix wins.');

export const barcodeOptionsSchema = z
  .object({
    fnc1Substitutes: z
      .array(z.string().min(1))
      .default([])
      .describe('Strings a scanner sends instead of FNC1 (GS, 0x1D), e.g. "~" or "<GS>". Restart not needed.'),
    market: z
      .enum(['SE', 'DE', 'GB', 'UK', 'DK', 'NL'])
      .nullable()
      .default(null)
      .describe('Market whose variable-measure layouts apply to prefixes 02 and 20-29 (UK is an alias of GB).'),
    customLayouts: z.array(layoutSchema).default([]).describe('Variable-measure layouts that replace or extend the market ones, matched by prefix.'),
    storeLabels: storeLabelsSchema,
    sscc: z
      .object({
        companyPrefix: z.string().regex(/^\d{6,12}$/, 'a GS1 company prefix has 6 to 12 digits').describe('GS1 company prefix used in our SSCCs.'),
        extensionDigit: z.number().int().min(0).max(9).default(0).describe('SSCC extension digit (0-9) for bags and cartons from this store.'),
      })
      .strict()
      .nullable()
      .default(null)
      .describe('SSCC (AI 00) for bag and carton labels; an SSCC with this prefix is recognised as our own label.'),
  })
  .strict()
  .describe('Barcode decoding options for a store or a scanner.');

export type BarcodeOptionsConfig = z.infer<typeof barcodeOptionsSchema>;

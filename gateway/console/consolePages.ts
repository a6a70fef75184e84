/**
 * Serves the store admin console (`/console`) and its assets from this folder: plain HTML, CSS
 * and a small script module, no build step and no CDN, so it works in a store with no internet.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const assetTypes: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'station.css': 'text/css; charset=utf-8',
  'station.js': 'text/javascript; charset=utf-8',
};

const read = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

export function addConsolePages(app: FastifyInstance): void {
  app.get('/', async (_req, reply) => reply.redirect('/console'));
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  app.get('/console', async (_req, reply) => reply.type('text/html; charset=utf-8').send(read('console.html')));
  app.get('/station/:stationId', async (_req, reply) => reply.type('text/html; charset=utf-8').send(read('station.html')));
  app.get<{ Params: { file: string } }>('/console/assets/:file', async (req, reply) => {
    const type = assetTypes[req.params.file];
    if (!type) return reply.code(404).send({ error: `no console asset "${req.params.file}"` });
    return reply.type(type).header('cache-control', 'no-cache').send(read(req.params.file));
  });
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../shared/paths.js';

/** Read from the source tree at request time, so the page works the same from src (tsx) and from dist. */
const PAGE_DIR = join(PROJECT_ROOT, 'src', 'simulator', 'page');

const ASSETS: Record<string, string> = {
  'simulator.css': 'text/css; charset=utf-8',
  'simulator.js': 'text/javascript; charset=utf-8',
};

/** A small icon (a green chat bubble) so browsers find one instead of a 404; SVG, which every current browser takes. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#07c160"/>' +
  '<path d="M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" fill="#fff"/></svg>';

/** `GET /simulator`: the chat page; `GET /simulator/page/<file>`: its stylesheet and script; `GET /favicon.ico`: its icon. */
export function registerSimulatorPage(app: FastifyInstance): void {
  app.get('/favicon.ico', { logLevel: 'warn' }, async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG),
  );
  app.get('/simulator', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(await readFile(join(PAGE_DIR, 'index.html'), 'utf8')),
  );
  app.get<{ Params: { file: string } }>('/simulator/page/:file', async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
    if (!type) return reply.code(404).send({ error: 'NOT_FOUND' });
    return reply.type(type).header('cache-control', 'no-store').send(await readFile(join(PAGE_DIR, request.params.file), 'utf8'));
  });
}

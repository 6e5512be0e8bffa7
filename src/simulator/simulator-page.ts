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

/** `GET /simulator`: the chat page; `GET /simulator/page/<file>`: its stylesheet and script. */
export function registerSimulatorPage(app: FastifyInstance): void {
  app.get('/simulator', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(await readFile(join(PAGE_DIR, 'index.html'), 'utf8')),
  );
  app.get<{ Params: { file: string } }>('/simulator/page/:file', async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
    if (!type) return reply.code(404).send({ error: 'NOT_FOUND' });
    return reply.type(type).header('cache-control', 'no-store').send(await readFile(join(PAGE_DIR, request.params.file), 'utf8'));
  });
}

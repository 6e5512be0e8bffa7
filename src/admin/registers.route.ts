import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChecksRoom } from '../checks/checks-room.js';
import type { Org } from '../org/org.js';
import type { Clock } from '../shared/clock.js';
import { scopeOf } from './admin-auth.js';
import { principal } from './admin.plugin.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A register is a few thousand rows at most: 5 MB is far above any township's. */
const MAX_BYTES = 5 * 1024 * 1024;

const imported = z.object({
  importId: z.string(),
  created: z.number(),
  matched: z.array(z.object({ line: z.number(), with: z.enum(['case', 'register']), caseNumber: z.string().optional() })),
});
const badRows = z.object({ error: z.literal('BAD_ROWS'), problems: z.array(z.object({ line: z.number(), field: z.string(), problem: z.string() })) });
const unsupported = z.object({ error: z.literal('UNSUPPORTED_MEDIA_TYPE'), problem: z.string() });

/**
 * `POST /admin/registers`: a township or county imports a register of key-group households (重点对象台账) as CSV
 * (`Content-Type: text/csv`, UTF-8, header 户主姓名,身份证号,村,组,类别). Every row is checked; with any bad row nothing is
 * written and every bad row is listed with its line and the problem. A household already known (a case or an earlier
 * register) is matched, not added twice. Rows outside the caller's areas are bad rows.
 * .xlsx is refused (415) until a maintained reader package is added: save the sheet as CSV (UTF-8).
 */
export function registersRoutes(deps: { checks: ChecksRoom; org: Org; clock: Clock }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: MAX_BYTES }, (_req, body, done) => done(null, body));
    app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: MAX_BYTES }, (_req, body, done) => done(null, body));
    app.withTypeProvider<ZodTypeProvider>().post(
      '/registers',
      {
        schema: {
          consumes: ['text/csv', XLSX],
          response: { 200: imported, 400: badRows, 415: unsupported },
          tags: ['registers'],
        },
      },
      async (request, reply) => {
        if (request.headers['content-type']?.startsWith(XLSX)) {
          return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', problem: '暂不能读取 .xlsx，请在表格软件中“另存为 CSV（UTF-8）”后再导入' });
        }
        if (typeof request.body !== 'string') return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', problem: '请以 text/csv 上传 CSV 文件（UTF-8）' });
        const who = principal(request);
        const by = who.kind === 'county' ? 'admin-token' : who.member.userId;
        const result = await deps.checks.registerImport.importCsv(request.body, scopeOf(who, deps.org), by, deps.clock.now());
        if (!result.ok) return reply.code(400).send({ error: 'BAD_ROWS', problems: result.problems });
        request.log.info({ importId: result.importId, created: result.created, matched: result.matched.length }, 'register imported');
        return { importId: result.importId, created: result.created, matched: result.matched };
      },
    );
  };
}

import type { Logger } from 'pino';
import type { ChecksRoom } from '../checks/checks-room.js';
import { idNumberCheckChar } from '../engine/validators/id-number.js';
import type { Org } from '../org/org.js';
import { keyGroupsOf } from '../policy/index.js';

/** Made-up heads of household for the demo register (two per village, in turn). */
const DEMO_HEADS = ['张德福', '李秀英', '王大山', '刘春花', '陈桂兰', '赵铁柱', '孙玉梅', '周长顺', '吴春生', '郑秀兰'];

/**
 * Local mode only: when no register was imported yet, a demo register of key-group households (two per village
 * of the org in use, made-up names and ID numbers that pass the check digit) is imported through the same
 * import as the admin API, so a staff member in /simulator can type 排查 and walk a visit at once.
 * Returns how many households it added (0 when a register is already there).
 */
export async function seedDemoRegister(checks: ChecksRoom, org: Org, now: Date, logger: Logger): Promise<number> {
  if ((await checks.deps.register.households.count({})) > 0) return 0;
  const county = org.file.county.code.replace(/\D/g, '').padEnd(6, '0').slice(0, 6);
  const lines = ['户主姓名,身份证号,村,组,类别'];
  let n = 0;
  for (const village of org.descendants(org.file.county.code, 'village')) {
    const groups = keyGroupsOf(checks.deps.profileFor(village.code, now));
    if (groups.length === 0) continue;
    const firstGroup = org.children(village.code)[0];
    for (let i = 0; i < 2; i++, n++) {
      const first17 = `${county}19${String(50 + (n % 40)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}${String(100 + n).slice(-3)}`;
      lines.push([DEMO_HEADS[n % DEMO_HEADS.length], first17 + idNumberCheckChar(first17), village.code, firstGroup?.code ?? '', groups[n % groups.length]!.label].join(','));
    }
  }
  if (n === 0) return 0;
  const result = await checks.registerImport.importCsv(lines.join('\n'), [org.file.county.code], 'local-demo', now);
  if (!result.ok) {
    logger.warn({ problems: result.problems.length }, 'demo register not imported');
    return 0;
  }
  logger.info({ households: result.created }, 'local mode: demo register of key-group households imported (排查 has a list to walk)');
  return result.created;
}

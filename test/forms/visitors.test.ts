import { describe, expect, it } from 'vitest';
import { OTHER_VISITORS_ID, optionSources } from '../../src/conversation/area-options.js';
import { visitorsOf } from '../../src/forms/form-defs.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';

const org = loadOrgFile(DEMO_ORG_FILE);

describe('who went on a home visit', () => {
  it('offers the only cadre of a village without other staff someone not on the roster, so the form is never stuck', () => {
    // 白水乡石门村: 赵红梅 is its only staff member, 白水乡 has no township reviewer.
    const options = optionSources(org, (key) => key).caseStaff({ caseVillage: '430621102201', actorUserId: 'zhaocadre' });
    expect(options.map((o) => o.id)).toEqual([OTHER_VISITORS_ID]);
  });

  it('records the colleagues chosen by name and the people typed in, one each', () => {
    expect(visitorsOf({ coVisitors: ['zhoucadre', OTHER_VISITORS_ID], otherVisitors: '周会计、驻村队员刘明，王和平' }, org)).toEqual([
      '周志强',
      '周会计',
      '驻村队员刘明',
      '王和平',
    ]);
    // Names typed earlier stay out once "not listed" is no longer chosen.
    expect(visitorsOf({ coVisitors: ['zhoucadre'], otherVisitors: '周会计' }, org)).toEqual(['周志强']);
  });
});

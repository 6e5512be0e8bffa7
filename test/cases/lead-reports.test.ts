import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeclarationError } from '../../src/cases/declaration-service.js';
import { LeadReports, leadFlowStart, leadVillages } from '../../src/cases/lead-reports.js';
import { answers, openCaseWorld, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';

let world: CaseWorld;
let leads: LeadReports;
beforeEach(async () => {
  world = await openCaseWorld();
  leads = new LeadReports({ declarations: world.declarations });
});
afterEach(async () => world.close());

const staff = (userId: string) => world.org.findStaff(userId)!;
/** What flows/cadre-lead.yaml hands over for 王建国's household in 桃源村. */
const lead = (overrides: Record<string, unknown> = {}) => ({ ...answers(), actorUserId: 'wangcadre', leadSource: 'cadreCheck', foundOn: '2026-11-20', ...overrides });

describe('where a staff member may enter a lead', () => {
  it('is the villages they serve: one village settles township and village; one township settles the township; the county settles nothing', () => {
    expect(leadFlowStart(world.org, staff('wangcadre'), 'cadreCheck', TEST_NOW)).toEqual({
      actorUserId: 'wangcadre', leadSource: 'cadreCheck', earliestLeadDate: '2026-09-23', township: '430621101', village: '430621101201', fixedArea: 'village',
    });
    expect(leadFlowStart(world.org, staff('chentownship'), 'selfDeclaration', TEST_NOW)).toEqual({
      actorUserId: 'chentownship', leadSource: 'selfDeclaration', earliestLeadDate: '2026-09-23', township: '430621101', fixedArea: 'township',
    });
    expect(leadFlowStart(world.org, staff('liucounty'), 'cadreCheck', TEST_NOW)).toEqual({ actorUserId: 'liucounty', leadSource: 'cadreCheck', earliestLeadDate: '2026-09-23' });
    // The administrator works on no cases.
    expect(leadVillages(world.org, staff('admin'))).toEqual([]);
  });
});

describe('LeadReports', () => {
  it('a village the staff member does not serve is refused by the procedure, and nothing is stored', async () => {
    const outside = { township: '430621102', village: '430621102201', group: '430621102201-01' };
    expect(await leads.report(lead(outside), staff('wangcadre'), TEST_NOW)).toMatchObject({ kind: 'refused', refusal: { reason: 'actor.outsideArea' } });
    expect(await world.repo.cases.count({})).toBe(0);
    expect(await world.repo.openHouseholds.count({})).toBe(0);
  });

  it('a lead dated in the future is refused; one filled in by someone else is not taken', async () => {
    expect(await leads.report(lead({ foundOn: '2026-11-23' }), staff('wangcadre'), TEST_NOW)).toMatchObject({ kind: 'refused', refusal: { reason: 'action.invalid' } });
    await expect(leads.report(lead(), staff('zhoucadre'), TEST_NOW)).rejects.toThrow(DeclarationError);
  });

  it('a declaration for a household needs the day it signed; a found lead may wait for the signature', async () => {
    await expect(leads.report(lead({ leadSource: 'selfDeclaration' }), staff('wangcadre'), TEST_NOW)).rejects.toThrow(DeclarationError);
    const found = await leads.report(lead(), staff('wangcadre'), TEST_NOW);
    expect(found).toMatchObject({ kind: 'created', record: { procedure: { source: 'cadreCheck', leadFoundOn: '2026-11-20' }, declaration: { declaredBy: 'wangcadre' } } });
    expect(found.kind === 'created' && found.record.declaration?.commitmentAt).toBeUndefined();
  });

  it('keeps one open case per household whoever enters it: a household that declared itself is not opened again by a cadre', async () => {
    const declared = await world.declarations.declare(answers(), { channel: 'kf', openKfId: 'k', externalUserId: 'wmSelf' }, TEST_NOW);
    expect(await leads.report(lead(), staff('wangcadre'), TEST_NOW)).toEqual({ kind: 'duplicate', record: declared.record });
    expect(await world.repo.cases.count({})).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CARD_DECISIONS, parseTaskId, taskIdOf } from '../../src/conversation/decision-cards.js';
import { StaffTexts } from '../../src/conversation/staff-texts.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { ACTION_TYPES, type ActionType } from '../../src/procedure/actions.js';
import { REFUSAL_REASONS } from '../../src/procedure/refusals.js';
import { STAGES } from '../../src/procedure/stages.js';

const texts = createTexts();

describe('decision card task ids', () => {
  it('name the case, version and action, fit WeCom (≤128 chars of [0-9A-Za-z_-@]) and differ per card sent', () => {
    const task = { caseId: randomUUID(), version: 12, action: 'eliminationCountyApproval' as ActionType };
    const real = { ...task, action: 'acceptEliminationProposal' as ActionType };
    const id = taskIdOf(real);
    expect(id).toMatch(/^[0-9A-Za-z_\-@]{1,128}$/);
    expect(parseTaskId(id)).toEqual(real);
    expect(taskIdOf(real)).not.toBe(id);
    // An action that has no card, or an id made elsewhere, is not ours.
    expect(parseTaskId(taskIdOf(task))).toBeUndefined();
    expect(parseTaskId(taskIdOf({ ...real, action: 'reject' }))).toBeUndefined();
    // A step filled in by a form has a card too (its button starts the form).
    expect(parseTaskId(taskIdOf({ ...real, action: 'recordHomeVerification' }))).toEqual({ ...real, action: 'recordHomeVerification' });
    expect(parseTaskId('rv_20240601_000123')).toBeUndefined();
  });
});

describe('staff texts', () => {
  it('name every stage for households and staff, every step, and every refusal, in every locale', () => {
    for (const locale of LOCALES) {
      for (const stage of STAGES) {
        expect(texts.has(locale, `cases:stage.${stage}`), `${locale} cases:stage.${stage}`).toBe(true);
        expect(texts.has(locale, `staff:stage.${stage}`), `${locale} staff:stage.${stage}`).toBe(true);
      }
      for (const action of ACTION_TYPES) expect(texts.has(locale, `staff:action.${action}`), `${locale} staff:action.${action}`).toBe(true);
      for (const reason of [...REFUSAL_REASONS, 'case.unknown']) expect(texts.has(locale, `staff:refusal.${reason}`), `${locale} staff:refusal.${reason}`).toBe(true);
      for (const action of Object.keys(CARD_DECISIONS)) {
        for (const part of ['title', 'prompt']) expect(texts.has(locale, `staff:card.${action}.${part}`), `${locale} staff:card.${action}.${part}`).toBe(true);
      }
    }
  });

  it('write a refusal out in plain words, dates, months and roles included', () => {
    const staff = new StaffTexts(texts);
    expect(staff.refusal('zh-CN', { reason: 'notice.notEnded', detail: { startsOn: '2026-11-24', endsOn: '2026-11-29' } })).toBe(
      '公示从2026年11月24日开始，要到2026年11月29日才期满，期满前不能结束公示。请在2026年11月29日当天或之后再结束公示。',
    );
    expect(staff.refusal('zh-CN', { reason: 'actor.roleNotAllowed', detail: { allowedRoles: ['villageSecretary', 'townshipReviewer'] } })).toBe(
      '这一步需要由村支部书记或乡镇审核人办理，您的角色不能办理。请转交给相应人员；如您的角色登记有误，请联系管理员。',
    );
    expect(staff.refusal('zh-CN', { reason: 'elimination.tooSoonByAssistance', detail: { identifiedOn: '2026-11-29', earliestMonth: '2027-01' } })).toBe(
      '这户2026年11月29日认定，认定当月和次月不能按“帮扶消除”标注风险消除。请在2027年1月起再提出；如风险是自然消除的，可选择“自然消除”。',
    );
    expect(staff.refusal('en', { reason: 'action.notAllowedInStage', detail: { stage: 'publicNotice', action: 'acceptLead' } })).toBe(
      'The case is now "on public notice"; this step is not taken at this point (it comes later, or the local procedure has no such step). Reply "todo" to see what the case is waiting for.',
    );
  });
});

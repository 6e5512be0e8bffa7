import { answerOf, type Answers, type EngineOutbound } from './events.js';
import { stepAt, type Flow } from './flow-schema.js';
import { matchBranch, type Branch } from './step-types/common.js';
import { stepDef } from './step-types/index.js';
import { fieldOf } from './validate-flow.js';

/**
 * The questions the flow will ask, in order, given the answers so far: from the start, each waiting step up
 * to the review (or the end), following branches as the answers decide (⑭'s reason only once ⑭ is chosen;
 * a branch not yet decided takes `next`) and the "yes" way of a confirm.
 * @example ["ask_name", "ask_id", "ask_phone"]
 */
export function questionPath(flow: Flow, answers: Answers): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  for (let id: string | undefined = flow.start; id !== undefined && !seen.has(id); ) {
    seen.add(id);
    const s = stepAt(flow, id);
    if (!s || s.type === 'review' || !stepDef(s).waits) break;
    path.push(id);
    const branch: Branch | undefined = 'branches' in s ? matchBranch(s.branches, fieldOf(id, s), answers) : undefined;
    id = branch?.next ?? ('next' in s ? s.next : undefined);
  }
  return path;
}

/**
 * The first question on the way to the review that has no answer (one cleared by 重新说, say), if any. A
 * question whose answer an append step has taken into a list that has items is answered (asked again only
 * to add one more).
 */
export function firstUnanswered(flow: Flow, answers: Answers): string | undefined {
  const collected = new Set(
    Object.values(flow.steps).flatMap((s) => {
      if (s.type !== 'append') return [];
      const list = answerOf(answers, s.field);
      return Array.isArray(list) && list.length > 0 ? s.take : [];
    }),
  );
  return questionPath(flow, answers).find((id) => {
    const s = stepAt(flow, id);
    const field = s ? fieldOf(id, s) : '';
    return s !== undefined && !collected.has(field) && answerOf(answers, field) === undefined;
  });
}

/**
 * A question with its place in the flow, "第3步/共13步：…", for flows that ask for it (`numberSteps`). The
 * prompt is nested in `engine:numbered` as `$t({{numberedKey}})`, so its own variables still apply.
 * A step off the way (reached by a change from the review) gets no number.
 */
export function numbered(flow: Flow, answers: Answers, stepId: string, outbound: EngineOutbound): EngineOutbound {
  const path = questionPath(flow, answers);
  const at = path.indexOf(stepId);
  if (at < 0) return outbound;
  return { ...outbound, key: 'engine:numbered', vars: { ...outbound.vars, step: at + 1, steps: path.length, numberedKey: outbound.key } };
}

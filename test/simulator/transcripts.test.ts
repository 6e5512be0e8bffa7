import { describe, expect, it } from 'vitest';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { Transcripts, type TranscriptEntry } from '../../src/simulator/transcripts.js';

const card = (taskId: string) => ({
  card_type: 'button_interaction',
  main_title: { title: '新的申报', desc: '桃源村' },
  horizontal_content_list: [{ keyname: '户主', value: '张**' }],
  task_id: taskId,
  button_list: [{ text: '受理', style: 1, key: `ok:${taskId}` }, { text: '退回', style: 2, key: `no:${taskId}` }],
});

function setup() {
  const fake = new FakeWeComState();
  const transcripts = new Transcripts(fake, () => new Date('2026-11-22T08:00:00Z'));
  const sendCard = (touser: string, taskId: string, responseCode: string) =>
    fake.emit({ kind: 'app_message', body: { touser, agentid: 1, msgtype: 'template_card', template_card: card(taskId), msgid: `m_${taskId}`, response_code: responseCode } });
  const cardOf = (userId: string): Extract<TranscriptEntry, { kind: 'card' }> | undefined =>
    transcripts.get({ channel: 'app', userId }).entries.find((e): e is Extract<TranscriptEntry, { kind: 'card' }> => e.kind === 'card');
  return { fake, transcripts, sendCard, cardOf };
}

describe('simulator transcripts', () => {
  it('keeps each person their own messages in order, kf menus with their items', () => {
    const { fake, transcripts } = setup();
    transcripts.said({ channel: 'kf', externalUserId: 'wmA' }, '申报');
    fake.emit({
      kind: 'kf_message',
      body: { touser: 'wmA', open_kfid: 'wk1', msgid: 'k1', msgtype: 'msgmenu', msgmenu: { head_content: '请选择乡镇：', list: [{ type: 'click', click: { id: 't1', content: '青山镇' } }] } },
    });
    fake.emit({ kind: 'kf_message', body: { touser: 'wmB', open_kfid: 'wk1', msgid: 'k2', msgtype: 'text', text: { content: '别人的' } } });

    const { entries, revision } = transcripts.get({ channel: 'kf', externalUserId: 'wmA' });
    expect(entries).toMatchObject([
      { seq: 1, from: 'me', kind: 'text', text: '申报' },
      { seq: 2, from: 'bot', kind: 'menu', head: '请选择乡镇：', items: [{ type: 'click', id: 't1', content: '青山镇' }] },
    ]);
    expect(revision).toBe(2);
    expect(transcripts.get({ channel: 'kf', externalUserId: 'wmB' }).entries).toHaveLength(1);
  });

  it('a card sent to two members is updated for the clicker only with the click code, for everyone with the send code', () => {
    const { fake, transcripts, sendCard, cardOf } = setup();
    sendCard('wangcadre|lisecretary', 'rv_1', 'rc_send');
    const mine = transcripts.findCard('WangCadre', 'rv_1');
    expect(mine?.card).toMatchObject({ taskId: 'rv_1', title: '新的申报', desc: '桃源村', fields: [{ keyname: '户主', value: '张**' }] });

    transcripts.clicked('wangcadre', mine!, { text: '受理' }, 'rc_click');
    fake.emit({ kind: 'card_update', body: { agentid: 1, response_code: 'rc_click', button: { replace_name: '已受理' } } });
    expect(cardOf('wangcadre')?.card.done).toBe('已受理');
    expect(cardOf('lisecretary')?.card.done).toBeUndefined();
    expect(transcripts.get({ channel: 'app', userId: 'wangcadre' }).entries.map((e) => e.kind)).toEqual(['card', 'click', 'card_update']);

    fake.emit({ kind: 'card_update', body: { agentid: 1, response_code: 'rc_send', template_card: { ...card('rv_1'), replace_text: '王建国已受理' } } });
    expect(cardOf('lisecretary')?.card.done).toBe('王建国已受理');
    // Unknown codes (not from a card the simulator saw) change nothing.
    fake.emit({ kind: 'card_update', body: { agentid: 1, response_code: 'rc_other', button: { replace_name: 'x' } } });
    expect(transcripts.get({ channel: 'app', userId: 'lisecretary' }).entries).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { KF_WINDOW_MESSAGES, KfSessions } from '../../src/channel/kf-session.js';
import { kfReplyWindow, type KfAddress } from '../../src/forms/household-agreement.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';

const HOUR = 3_600_000;
const to: KfAddress = { channel: 'kf', openKfId: 'wkFpfpHelpDesk01', externalUserId: 'wmHousehold01' };

describe('whether a household may be asked on 微信客服 now (the reply-window port)', () => {
  it('only within 48 hours of its last message, while messages are left, and never while a servicer holds the session', async () => {
    let now = Date.parse('2026-12-10T02:00:00Z');
    const sessions = new KfSessions(new MemoryStateStore(), () => now);
    const window = kfReplyWindow(sessions);
    expect(await window.canAsk(to)).toBe(false);

    await sessions.customerWrote(to.openKfId, to.externalUserId, new Date(now));
    expect(await window.canAsk(to)).toBe(true);
    await sessions.setHuman(to.openKfId, to.externalUserId, 'servicer01');
    expect(await window.canAsk(to)).toBe(false);
    await sessions.ended(to.openKfId, to.externalUserId);
    expect(await window.canAsk(to)).toBe(true);

    now += 47 * HOUR;
    expect(await window.canAsk(to)).toBe(true);
    for (let i = 0; i < KF_WINDOW_MESSAGES; i++) await sessions.tryConsume(to.openKfId, to.externalUserId);
    expect(await window.canAsk(to)).toBe(false);

    await sessions.customerWrote(to.openKfId, to.externalUserId, new Date(now));
    now += 48 * HOUR + 1;
    expect(await window.canAsk(to)).toBe(false);
  });
});

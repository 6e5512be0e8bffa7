import type { FastifyInstance } from 'fastify';
import type { FakeWeComState } from './fake-wecom-state.js';

/**
 * Local mode only: what the bot has sent through the built-in WeCom stand-in, newest last.
 * (The chat page of a later issue builds on this.)
 */
export function simulatorRoutes(state: FakeWeComState) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/simulator/sent', async () => ({
      appMessages: state.appMessages,
      kfMessages: state.kfSent,
      cardUpdates: state.cardUpdates,
    }));
  };
}

import type { FAST_TRACK_HARDSHIPS } from '../procedure/case-snapshot.js';
import type { FormDef } from './form-defs.js';
import { num, str } from './form-defs.js';

type Hardship = (typeof FAST_TRACK_HARDSHIPS)[number];

/** 先行救助: the sudden hardship (灾 / 意外事故 / 突发重病) and what happened. */
export const fastTrackForm: FormDef = {
  flowId: 'fast-track',
  prefill: () => ({}),
  probe: () => ({ type: 'markFastTrack', hardship: 'disaster', note: '…' }),
  toAction: (answers) => ({ type: 'markFastTrack', hardship: str(answers.hardship) as Hardship, note: str(answers.note)! }),
};

/** 先行救助情况: what relief, the money in it when there was some, and the day it was given. */
export const reliefForm: FormDef = {
  flowId: 'relief',
  prefill: () => ({}),
  probe: () => ({ type: 'recordRelief', relief: '…' }),
  toAction(answers) {
    const amount = answers.hasMoney === true ? num(answers.amount) : undefined;
    const givenOn = str(answers.givenOn);
    return { type: 'recordRelief', relief: str(answers.relief)!, ...(amount !== undefined ? { amount } : {}), ...(givenOn ? { givenOn } : {}) };
  },
};

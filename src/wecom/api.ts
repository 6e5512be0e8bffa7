/**
 * The WeCom server API as the service uses it. The real adapter is `WeComHttpApi` (axios, in
 * api-client.ts); in local mode and in tests it talks over real HTTP to the fake in src/simulator.
 * Every method throws WeComApiError (see errors.ts) when WeCom answers a non-zero errcode that
 * retrying cannot fix; rate limits throw WeComRateLimitError so callers can wait.
 */

/** Interactive card (`template_card`, card_type button_interaction); see wecom-channel.md §7. */
export interface ButtonCard {
  card_type: 'button_interaction';
  source?: { desc: string; desc_color?: number };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  task_id: string;
  button_list: { text: string; style?: 1 | 2 | 3 | 4; key: string }[];
  /** Set when replacing a card after a decision: shows a grey, non-clickable button. */
  replace_text?: string;
}

/** Body of `message/send` without `agentid` (the client adds its own). */
export type AppMessage = { touser: string; enable_duplicate_check?: 0 | 1; duplicate_check_interval?: number } & (
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'template_card'; template_card: ButtonCard }
);

export interface AppSendResult {
  msgid?: string;
  /** Only for interactive cards: single-use code to update the card for all its recipients. */
  response_code?: string;
  /** Recipients WeCom refused (lower-cased by WeCom). */
  invaliduser?: string;
}

/** Body of `message/update_template_card` without `agentid`. */
export type CardUpdate = { response_code: string; userids?: string[]; atall?: 0 | 1 } & (
  | { button: { replace_name: string } }
  | { template_card: ButtonCard }
);

/** One item of `kf/sync_msg`'s `msg_list` (only the fields we use are typed). */
export interface KfMessage {
  msgid: string;
  open_kfid: string;
  external_userid?: string;
  send_time: number;
  /** 3 = from the WeChat customer, 4 = system event, 5 = a human servicer in the WeCom client. */
  origin: number;
  servicer_userid?: string;
  msgtype: string;
  text?: { content: string; menu_id?: string };
  event?: {
    event_type: string;
    open_kfid?: string;
    external_userid?: string;
    welcome_code?: string;
    change_type?: number;
    new_servicer_userid?: string;
    old_servicer_userid?: string;
    fail_msgid?: string;
    fail_type?: number;
  };
}

export interface KfSyncResult {
  next_cursor: string;
  has_more: 0 | 1;
  msg_list: KfMessage[];
}

export type KfMenuItem =
  | { type: 'click'; click: { id: string; content: string } }
  | { type: 'view'; view: { url: string; content: string } }
  | { type: 'text'; text: { content: string; no_newline?: 0 | 1 } };

/** Body of `kf/send_msg`. `msgid` (≤ 32 chars, [0-9a-zA-Z_-]) makes retries safe: WeCom refuses a reused one. */
export type KfOutMessage = { touser: string; open_kfid: string; msgid?: string } & (
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content?: string; list: KfMenuItem[]; tail_content?: string } }
);

/** 0 untreated, 1 smart assistant (the API may reply), 2 queued, 3 human servicer, 4 ended. */
export type KfServiceState = 0 | 1 | 2 | 3 | 4;

export interface WeComApi {
  sendAppMessage(message: AppMessage): Promise<AppSendResult>;
  updateTemplateCard(update: CardUpdate): Promise<void>;
  kfSyncMsg(request: { openKfId: string; cursor?: string; token?: string; limit?: number }): Promise<KfSyncResult>;
  kfSendMsg(message: KfOutMessage): Promise<{ msgid: string }>;
  kfGetServiceState(request: { openKfId: string; externalUserId: string }): Promise<{ serviceState: KfServiceState; servicerUserId?: string }>;
  kfTransServiceState(request: { openKfId: string; externalUserId: string; serviceState: KfServiceState; servicerUserId?: string }): Promise<void>;
}

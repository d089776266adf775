/** Saved answers (`/whatsapp/quick-replies`), shared by the server and the admin panel. */

export interface QuickReply {
  id: number;
  /** Lower-case letters, digits, - and _ (up to 50): typed as `/name` in the composer. */
  name: string;
  text: string;
}

export namespace ListQuickReplies {
  export interface Response {
    data: QuickReply[];
    meta: { total: number };
  }
}

export namespace SaveQuickReply {
  export interface Request {
    name?: string;
    text?: string;
  }
  export interface Response {
    data: QuickReply;
  }
}

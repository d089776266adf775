/**
 * The bots admin API's requests and answers, endpoint by endpoint (the shapes they carry are in
 * contracts/bots.ts), shared by the server and the admin panel.
 */
import type { BusinessHours } from './settings';
import type { BOT_PRECEDENCE, Bot, BotButton, BotLimits, BotListRow, BotNumberSettings, BotResponse, BotStage, BotTrigger, BotTriggerType } from './bots';

export namespace ListBots {
  /** `GET /whatsapp/bots?numberId=`: bots of the numbers the caller may see, in precedence order per number. */
  export interface Response {
    data: Bot[];
    meta: { total: number; precedence: typeof BOT_PRECEDENCE };
  }
}

export namespace SaveBot {
  /** `POST /whatsapp/bots` (name, numberId, trigger, response required) and `PUT /whatsapp/bots/:id` (any subset). */
  export interface Request {
    name?: string;
    numberId?: number;
    active?: boolean;
    priority?: number;
    trigger?: BotTrigger;
    response?: BotResponse;
    limits?: Partial<BotLimits>;
  }
  export interface Response {
    data: Bot;
  }
}

export namespace DeleteBot {
  /** `DELETE /whatsapp/bots/:id`. */
  export interface Response {
    data: { id: number };
  }
}

export namespace OrderBots {
  /** `PUT /whatsapp/bots/order`: the number's bots top to bottom; priorities become 0, 1, 2… */
  export interface Request {
    numberId: number;
    ids: number[];
  }
  export interface Response {
    data: Bot[];
  }
}

export namespace BotNumber {
  /** `GET /whatsapp/bots/numbers/:numberId` and `PUT` (any subset of the fields). */
  export interface Request {
    enabled?: boolean;
    businessHours?: BusinessHours | null;
    holidays?: string[];
  }
  export interface Response {
    data: BotNumberSettings;
  }
}

/** One bot as the engine saw it for a message. */
export interface BotConsidered {
  botId: number;
  name: string;
  trigger: BotTriggerType;
  stage: BotStage;
  matched: boolean;
  /** Why it matched or not, one line ("'price' is a synonym of keyword 'cost'"). */
  why: string;
}

/** A message as it would leave: the interactive form, and the numbered text for providers without one. */
export interface BotOutgoing {
  kind: 'text' | 'template' | 'media' | 'interactive' | 'location' | 'contacts';
  text: string | null;
  interactive?: { type: 'button' | 'list'; body: string; buttons?: BotButton[]; buttonText?: string; sections?: { title?: string; rows: BotListRow[] }[] };
}

export namespace TestBots {
  /**
   * `POST /whatsapp/bots/test`: runs the runtime's engine on a message without sending anything.
   * `conversationId` uses that conversation's real state (owner, menu, counters); without it the
   * message is judged as from a customer with the given facts (defaults: not first, same session, no menu).
   */
  export interface Request {
    numberId: number;
    text: string;
    /** ISO time the message is judged at (business hours); default now. */
    at?: string;
    conversationId?: number;
    firstMessage?: boolean;
    newSession?: boolean;
    /** A button or list reply's id (what a tap sends beside its title). */
    replyId?: string;
  }
  export interface Response {
    data: {
      fired: { botId: number; name: string; trigger: BotTriggerType; stage: BotStage; why: string } | null;
      /** The response of the fired bot (for a menu pick: the picked item's reply or sub-menu). */
      response: BotResponse | null;
      /** What would be sent, interactive and numbered-text forms. */
      outgoing: BotOutgoing | null;
      /** Why no bot fired when `fired` is null ("opt-out keyword", "a human owns the conversation", "no bot matched"). */
      stopped: { stage: BotStage; why: string } | null;
      considered: BotConsidered[];
    };
  }
}

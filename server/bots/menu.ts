/** Multi-level menus: where a conversation is in a bot's menu, and what a reply picks there. */
import { MENU_BACK, type BotMenuItem, type BotMenuResponse, type BotResponse } from '../../contracts/bots';
import { normalizeText } from '../../contracts/text';

/** The menu a conversation is in: the bot, and the item ids from its root to the level shown. */
export interface MenuState {
  botId: number;
  path: string[];
}

/** The level at `path` as a menu response of its own (the root is the bot's response). */
export const levelAt = (root: BotMenuResponse, path: string[]): BotMenuResponse | null => {
  let level: BotMenuResponse = root;
  for (const id of path) {
    const item = level.items.find((i) => i.id === id);
    if (!item?.items?.length) return null;
    level = { type: 'menu', text: item.text ?? item.title, buttonText: root.buttonText, items: item.items };
  }
  return level;
};

export interface MenuPick {
  /** What is sent: the picked item's reply, a sub-menu, or the level above. */
  response: BotResponse;
  /** Where the conversation is afterwards; null when it left the menu. */
  next: MenuState | null;
  why: string;
}

const picked = (items: BotMenuItem[], text: string, replyId: string | null | undefined) => {
  if (replyId) {
    const byId = items.find((i) => i.id === replyId);
    if (byId) return { item: byId, how: `button '${byId.title}'` };
  }
  const said = normalizeText(text);
  const n = /^\d{1,2}$/.test(said) ? Number(said) : 0;
  if (n >= 1 && n <= items.length) return { item: items[n - 1], how: `number ${n}` };
  const byTitle = items.find((i) => normalizeText(i.title) === said || normalizeText(i.id) === said);
  return byTitle ? { item: byTitle, how: `title '${byTitle.title}'` } : null;
};

/** What a reply does in the menu the conversation is in; null when it picks nothing (other bots are tried). */
export const pickInMenu = (root: BotMenuResponse, state: MenuState, text: string, replyId?: string | null): MenuPick | null => {
  const level = levelAt(root, state.path);
  if (!level) return null;
  if ((MENU_BACK as readonly string[]).includes(normalizeText(text)) && !replyId) {
    const path = state.path.slice(0, -1);
    return { response: levelAt(root, path)!, next: { botId: state.botId, path }, why: state.path.length ? 'back one menu level' : 'the menu again' };
  }
  const hit = picked(level.items, text, replyId);
  if (!hit) return null;
  const { item, how } = hit;
  if (item.items?.length) {
    const path = [...state.path, item.id];
    return { response: levelAt(root, path)!, next: { botId: state.botId, path }, why: `menu item '${item.title}' picked by ${how}, its sub-menu` };
  }
  return { response: item.reply ?? { type: 'text', text: item.title }, next: null, why: `menu item '${item.title}' picked by ${how}` };
};

import { WHATSAPP_TEXT_LIMIT } from '../../contracts/assistant';

/**
 * Markdown a model writes turned into WhatsApp's own formatting (**bold** → *bold*, headings → bold
 * lines, [text](url) → text url), cut to WhatsApp's length limit on a word boundary.
 */
export const toWhatsApp = (text: string) => {
  const formatted = text
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/__(.+?)__/g, '_$1_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/^\s{0,3}#{1,6}\s+(.+?)\s*#*$/gm, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1 $2')
    .trim();
  if (formatted.length <= WHATSAPP_TEXT_LIMIT) return formatted;
  const cut = formatted.slice(0, WHATSAPP_TEXT_LIMIT - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), WHATSAPP_TEXT_LIMIT / 2))}…`;
};

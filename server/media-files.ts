import mimeTypes from 'mime-types';

/**
 * What a customer's file is stored and served as. Only inert types keep their MIME type: anything a
 * browser could run from the CRM's origin (HTML, SVG, XML, scripts...) is stored as an opaque
 * download, because the upload plugin's local provider serves files by their extension.
 */

/** Inert types and the extension each is stored under (never the customer's own extension). */
const INERT: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif',
  'audio/ogg': 'ogg', 'audio/opus': 'opus', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/amr': 'amr', 'audio/wav': 'wav',
  'video/mp4': 'mp4', 'video/3gpp': '3gp', 'video/quicktime': 'mov', 'video/webm': 'webm',
  'application/pdf': 'pdf', 'text/plain': 'txt', 'text/csv': 'csv',
  'application/msword': 'doc', 'application/vnd.ms-excel': 'xls', 'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/zip': 'zip',
};

/** Types a browser may show inline (images, audio, video, PDF, plain text); every other type is served as a download. */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'audio/ogg', 'audio/opus', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'video/mp4', 'video/webm', 'application/pdf', 'text/plain']);

export const OPAQUE_MIME = 'application/octet-stream';

const bare = (mime: string | null | undefined) => `${mime ?? ''}`.split(';')[0].trim().toLowerCase();

/** The MIME type and extension a file is stored under: its own for inert types, an opaque download otherwise. */
export const storedType = (mime: string | null | undefined): { mime: string; ext: string; inert: boolean } => {
  const type = bare(mime);
  const ext = INERT[type];
  return ext ? { mime: type, ext, inert: true } : { mime: OPAQUE_MIME, ext: 'bin', inert: false };
};

/** Whether a stored file may be shown inline rather than only downloaded. */
export const showsInline = (mime: string | null | undefined) => INLINE.has(bare(mime));

const MAX_NAME_BYTES = 200;

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
const clipBytes = (text: string, max: number) => {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > max) break;
    out += ch;
    bytes += size;
  }
  return out;
};

/**
 * A customer's file name made storable and harmless to show: no folders, control or bidi
 * characters, or characters file systems refuse; at most ~200 bytes, the extension kept.
 */
export const safeFileName = (given: unknown, fallback: string): string => {
  if (typeof given !== 'string') return fallback;
  const last = given.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '');
  if (!cleaned || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(cleaned)) return fallback;
  if (Buffer.byteLength(cleaned) <= MAX_NAME_BYTES) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return clipBytes(cleaned.slice(0, ext ? dot : undefined), MAX_NAME_BYTES - Buffer.byteLength(ext)) + ext;
};

/** The host's `upload.security` settings (config/plugins.ts), as the upload plugin reads them. */
export interface UploadSecurity {
  allowedTypes?: unknown;
  deniedTypes?: unknown;
}

const patterns = (list: unknown): string[] | null => (Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase()) : null);

/** The upload plugin's pattern rule: exact, or `*` standing for anything (`image/*`). */
const matches = (type: string, list: string[]) =>
  list.some((p) => (p.includes('*') ? new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(type) : p === type));

/**
 * Why the host's own upload security refuses a customer's file, or null: every type the file claims
 * (the customer's, the download's, the one it would be stored as) must pass the denied and allowed lists.
 */
export const hostRefusal = (security: UploadSecurity | null | undefined, types: (string | null | undefined)[]): string | null => {
  const denied = patterns(security?.deniedTypes);
  const allowed = patterns(security?.allowedTypes);
  for (const type of new Set(types.map(bare).filter(Boolean))) {
    if (denied && matches(type, denied)) return `this app's upload security denies ${type} (upload.security.deniedTypes)`;
    if (allowed && !matches(type, allowed)) return `this app's upload security does not allow ${type} (upload.security.allowedTypes)`;
  }
  return null;
};

/** The type a file name's extension stands for (as the upload plugin reads it), or null. */
export const typeOfName = (name: unknown): string | null => {
  const ext = typeof name === 'string' && /\.[^./\\]+$/.test(name) ? name.slice(name.lastIndexOf('.')) : '';
  return (ext && mimeTypes.lookup(ext)) || null;
};

/**
 * The type a file's bytes show (its magic numbers, read as the upload plugin does with `file-type`),
 * or null when they show none: a customer's word for the type is not trusted alone.
 */
export const typeOfContent = async (bytes: Buffer): Promise<string | null> => {
  // file-type is ESM-only: a dynamic import loads it from this CommonJS bundle.
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(new Uint8Array(bytes.subarray(0, 4100))))?.mime ?? null;
};

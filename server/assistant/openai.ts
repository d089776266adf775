import axios from 'axios';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelAnswer {
  reply: string | null;
  /** Why a person should answer instead; null when the model answered. */
  handoff: string | null;
  tokens: number;
}

/** Thrown for a call that failed or answered outside the agreed JSON shape: the caller hands off, never retries. */
export class EngineError extends Error {}

/**
 * One chat-completions call to an OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp…), its
 * answer asked as a JSON object so a handoff is a field of the result, never a word in the text.
 */
export const callChatCompletions = async (input: { baseUrl: string; model: string; apiKey: string | null; messages: ChatMessage[]; timeoutMs: number }): Promise<ModelAnswer> => {
  const url = `${input.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  let data: any;
  try {
    ({ data } = await axios.post(
      url,
      { model: input.model, messages: input.messages, temperature: 0.2, response_format: { type: 'json_object' } },
      { timeout: input.timeoutMs, headers: input.apiKey ? { Authorization: `Bearer ${input.apiKey}` } : {}, maxRedirects: 0 }
    ));
  } catch (error) {
    const e = error as { code?: string; response?: { status?: number }; message?: string };
    throw new EngineError(e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? 'the model did not answer in time' : `the model's server failed (${e.response?.status ?? e.code ?? e.message})`);
  }
  const tokens = Number(data?.usage?.total_tokens) || 0;
  const content = data?.choices?.[0]?.message?.content;
  let parsed: any;
  try {
    parsed = JSON.parse(String(content).replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new EngineError('the model did not answer in the agreed JSON shape');
  }
  if (parsed?.handoff === true) return { reply: null, handoff: String(parsed.reason || 'the model asked for a person'), tokens };
  if (typeof parsed?.reply !== 'string' || !parsed.reply.trim()) throw new EngineError('the model gave no reply');
  return { reply: parsed.reply, handoff: null, tokens };
};

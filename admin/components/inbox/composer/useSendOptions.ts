import type { SendOption } from '../../../../contracts/templates';
import { useListSendOptionsQuery } from '../../../api';

export interface SendOptionsState {
  status: 'loading' | 'error' | 'ready';
  options: SendOption[];
}

/** The numbers the user may send from, each with its approved templates (`GET /whatsapp/send-options`). */
export const useSendOptions = (enabled = true): SendOptionsState => {
  const { data, isError } = useListSendOptionsQuery(undefined, { skip: !enabled });
  return { status: isError ? 'error' : data ? 'ready' : 'loading', options: data ?? [] };
};

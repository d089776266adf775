import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

type Values = Record<string, string | number | boolean | null | undefined | Date>;

/** `t('numbers.add', 'Add number')`: a plugin message (id prefixed with the plugin id) with its English default. */
export const useTranslate = () => {
  const { formatMessage } = useIntl();
  return useCallback(
    (id: string, defaultMessage: string, values?: Values) => formatMessage({ id: getTranslation(id), defaultMessage }, values) as string,
    [formatMessage]
  );
};

export type Translate = ReturnType<typeof useTranslate>;

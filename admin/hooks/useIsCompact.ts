import * as React from 'react';

/** Below the design system's `medium` breakpoint (768px): phone-sized screens. */
const QUERY = '(max-width: 767.98px)';

export const useIsCompact = () => {
  const [compact, setCompact] = React.useState(() => typeof window !== 'undefined' && window.matchMedia(QUERY).matches);
  React.useEffect(() => {
    const media = window.matchMedia(QUERY);
    const onChange = (event: MediaQueryListEvent) => setCompact(event.matches);
    setCompact(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return compact;
};

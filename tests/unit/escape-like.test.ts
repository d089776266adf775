import { escapeLike } from '../../server/conversations/list';

describe('escapeLike', () => {
  test.each([
    ['100%', '100\\%'],
    ['snake_case', 'snake\\_case'],
    ['back\\slash', 'back\\\\slash'],
    ['\\%_', '\\\\\\%\\_'],
    ['Maria Silva', 'Maria Silva'],
  ])('%s', (text, escaped) => {
    expect(escapeLike(text)).toBe(escaped);
  });
});

import { PROVIDERS } from '../../contracts/numbers';
import { HAND_ENTERED_TEMPLATES } from '../../contracts/templates';
import { adapterFor } from '../../server/providers';

// The admin offers "Add template" by this list; the server refuses a hand-entered template where the provider syncs them.
test.each(PROVIDERS)('%s: templates are entered by hand exactly when the provider cannot list them', (provider) => {
  expect(HAND_ENTERED_TEMPLATES.includes(provider)).toBe(!adapterFor(provider).capabilities.templateSync);
});

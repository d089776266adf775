import crypto from './crypto';
import numbers from './numbers';

export default { crypto, numbers };

import { config } from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini leaves its messages generic ("Invalid input") unless a locale is loaded; English keeps the error frames'
// wording what it was with classic zod (e.g. "Too small: expected number to be >=1").
config(en());

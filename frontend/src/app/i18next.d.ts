import 'i18next';

import type { chiefMessages } from '@/features/chief/messages';
import type { markingMessages } from '@/features/marking/messages';
import type { publicationMessages } from '@/features/publication/messages';
import type { resultsMessages } from '@/features/results/messages';
import type { selectionMessages } from '@/features/selection/messages';
import type { consoleMessages } from '@/app/console/messages';
import type { organiserMessages } from '@/features/organiser/messages';
import type { teamMessages } from '@/features/team/messages';
import type { Messages } from '@/lib/i18n';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'console';
    interpolationPrefix: '{';
    interpolationSuffix: '}';
    resources: {
      console: (typeof consoleMessages)['en'];
      organiser: (typeof organiserMessages)['en'];
      team: (typeof teamMessages)['en'];
      chief: (typeof chiefMessages)['en'];
      marking: (typeof markingMessages)['en'];
      results: (typeof resultsMessages)['en'];
      publication: (typeof publicationMessages)['en'];
      selection: (typeof selectionMessages)['en'];
      common: Messages;
    };
  }
}

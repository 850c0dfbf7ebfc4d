/** What the demo workspace is made of: its people, objectives, the work of each team, and chores. */

export const PEOPLE = [
  { name: 'Sam Rivera', email: 'sam@acme.example', team: 'Payments', github: 'samrivera', role: 'admin' as const },
  { name: 'Priya Natarajan', email: 'priya@acme.example', team: 'Payments', github: 'priyan' },
  { name: 'Jonas Weber', email: 'jonas@acme.example', team: 'Payments', github: 'jweber' },
  { name: 'Amara Okafor', email: 'amara@acme.example', team: 'Platform', github: 'amarao' },
  { name: 'Lucas Martin', email: 'lucas@acme.example', team: 'Platform', github: 'lmartin' },
  { name: 'Mei Chen', email: 'mei@acme.example', team: 'Platform', github: 'meichen' },
  { name: 'Diego Alvarez', email: 'diego@acme.example', team: 'Growth', github: 'dalvarez' },
  { name: 'Hannah Schmidt', email: 'hannah@acme.example', team: 'Growth', github: 'hschmidt' },
  { name: 'Kofi Mensah', email: 'kofi@acme.example', team: 'Mobile', github: 'kofim' },
  { name: 'Sofia Rossi', email: 'sofia@acme.example', team: 'Mobile', github: 'srossi' },
  { name: 'Elena Petrova', email: 'elena@acme.example', team: null, github: 'epetrova', role: 'admin' as const },
];

export interface ObjectiveSeed {
  key: string;
  title: string;
  description: string;
  team: string | null;
  owner: string;
  priority: number;
  parent?: string;
  status?: 'active' | 'achieved' | 'missed' | 'dropped';
  previous?: boolean;
  /** Days since the last status update; null: never updated. */
  updatedDaysAgo: number | null;
  health?: 'on_track' | 'at_risk' | 'off_track';
  krs: [string, number, number, number, string][];
}

export const OBJECTIVES: ObjectiveSeed[] = [
  {
    key: 'revenue',
    title: 'Grow revenue from enterprise customers',
    description: 'Enterprise accounts are where the margin is this year.',
    team: null,
    owner: 'Elena Petrova',
    priority: 5,
    updatedDaysAgo: 6,
    health: 'on_track',
    krs: [
      ['Enterprise ARR', 4.2, 6, 4.9, 'M€'],
      ['Enterprise logos signed', 18, 30, 23, ''],
    ],
  },
  {
    key: 'reliability',
    title: 'Make payments reliable at scale',
    description: 'Every payment succeeds or fails fast, at twice today’s volume.',
    team: null,
    owner: 'Elena Petrova',
    priority: 4,
    updatedDaysAgo: 9,
    health: 'at_risk',
    krs: [['Payment success rate', 97.1, 99.5, 98.2, '%']],
  },
  {
    key: 'mobile-ga',
    title: 'Ship the mobile app to general availability',
    description: 'Field agents take payments from their phones.',
    team: null,
    owner: 'Elena Petrova',
    priority: 3,
    updatedDaysAgo: 12,
    health: 'on_track',
    krs: [['Weekly active mobile users', 0, 5000, 1800, '']],
  },
  {
    key: 'checkout-latency',
    title: 'Cut checkout latency in half',
    description: 'Checkout p95 from 1.8 s to 0.9 s: cache tax rates, parallelise fraud checks.',
    team: 'Payments',
    owner: 'Sam Rivera',
    priority: 5,
    parent: 'reliability',
    updatedDaysAgo: 4,
    health: 'at_risk',
    krs: [
      ['Checkout p95 latency', 1.8, 0.9, 1.4, 's'],
      ['Fraud check p95', 600, 250, 420, 'ms'],
    ],
  },
  {
    key: 'invoicing',
    title: 'Launch invoicing for enterprise accounts',
    description: 'Monthly invoices, PDF and e-invoice, net-30 terms.',
    team: 'Payments',
    owner: 'Priya Natarajan',
    priority: 4,
    parent: 'revenue',
    updatedDaysAgo: 3,
    health: 'on_track',
    krs: [
      ['Enterprise accounts invoiced', 0, 25, 11, ''],
      ['Invoice disputes', 12, 3, 7, '%'],
    ],
  },
  {
    key: 'sepa',
    title: 'Support SEPA and iDEAL payment methods',
    description: 'European payment methods for enterprise buyers.',
    team: 'Payments',
    owner: 'Jonas Weber',
    priority: 2,
    parent: 'revenue',
    updatedDaysAgo: 24,
    krs: [['Share of EU volume on SEPA or iDEAL', 0, 30, 8, '%']],
  },
  {
    key: 'availability',
    title: 'Reach 99.95% API availability',
    description: 'Multi-zone database, graceful degradation, fewer pages at night.',
    team: 'Platform',
    owner: 'Amara Okafor',
    priority: 4,
    parent: 'reliability',
    updatedDaysAgo: 5,
    health: 'on_track',
    krs: [
      ['API availability', 99.82, 99.95, 99.9, '%'],
      ['Pages per week', 14, 4, 8, ''],
    ],
  },
  {
    key: 'ledger',
    title: 'Migrate the ledger to PostgreSQL 17',
    description: 'Partitioned ledger tables, online migration, no downtime.',
    team: 'Platform',
    owner: 'Lucas Martin',
    priority: 2,
    parent: 'reliability',
    updatedDaysAgo: 33,
    krs: [['Ledger partitions migrated', 0, 48, 20, '']],
  },
  {
    key: 'conversion',
    title: 'Raise trial-to-paid conversion to 12%',
    description: 'Pricing page, trial emails, in-app upgrade prompts.',
    team: 'Growth',
    owner: 'Diego Alvarez',
    priority: 4,
    parent: 'revenue',
    updatedDaysAgo: 8,
    health: 'off_track',
    krs: [['Trial-to-paid conversion', 8.5, 12, 9.1, '%']],
  },
  {
    key: 'onboarding',
    title: 'Self-serve onboarding for teams',
    description: 'A team signs up, invites colleagues and takes a first payment without sales.',
    team: 'Growth',
    owner: 'Hannah Schmidt',
    priority: 3,
    parent: 'revenue',
    updatedDaysAgo: 10,
    health: 'on_track',
    krs: [
      ['Teams onboarded without sales', 0, 200, 64, ''],
      ['Median time to first payment', 6, 1, 3, 'days'],
    ],
  },
  {
    key: 'mobile-release',
    title: 'Release iOS and Android 1.0',
    description: 'Store approval, crash-free sessions, card reader support.',
    team: 'Mobile',
    owner: 'Kofi Mensah',
    priority: 3,
    parent: 'mobile-ga',
    updatedDaysAgo: 2,
    health: 'on_track',
    krs: [['Crash-free sessions', 97, 99.5, 98.8, '%']],
  },
  {
    key: 'offline',
    title: 'Offline mode for field agents',
    description: 'Queue payments without a connection and sync them later.',
    team: 'Mobile',
    owner: 'Sofia Rossi',
    priority: 1,
    parent: 'mobile-ga',
    updatedDaysAgo: 15,
    krs: [['Payments taken offline and synced', 0, 1000, 90, '']],
  },
  {
    key: 'svelte-admin',
    title: 'Rewrite the admin console in Svelte',
    description: 'Dropped in week 5: the React console is good enough.',
    team: 'Growth',
    owner: 'Hannah Schmidt',
    priority: 1,
    status: 'dropped',
    updatedDaysAgo: 20,
    krs: [],
  },
  {
    key: 'partner-api',
    title: 'Launch the partner API',
    description: 'Public REST API for resellers.',
    team: 'Platform',
    owner: 'Amara Okafor',
    priority: 3,
    status: 'achieved',
    previous: true,
    updatedDaysAgo: 55,
    krs: [['Partners live on the API', 0, 10, 12, '']],
  },
  {
    key: 'soc2',
    title: 'Pass the SOC 2 Type II audit',
    description: 'Evidence collection and controls.',
    team: 'Platform',
    owner: 'Mei Chen',
    priority: 2,
    status: 'missed',
    previous: true,
    updatedDaysAgo: 52,
    krs: [],
  },
];

/** Where each team works, and what its tickets are about (words that meet its objectives). */
export const TEAM_WORK: Record<string, { github: string; jira: string; asana: boolean; topics: [string, string[]][] }> =
  {
    Payments: {
      github: 'acme/payments-api',
      jira: 'PAY',
      asana: false,
      topics: [
        [
          'checkout-latency',
          [
            'Cache tax rates in checkout',
            'Parallelise fraud checks on checkout',
            'Checkout latency: trim card tokenisation round trip',
            'Profile slow checkout for large carts',
            'Fraud check timeout spikes at p95',
          ],
        ],
        [
          'invoicing',
          [
            'Invoice PDF rendering for enterprise accounts',
            'Net-30 terms on enterprise invoices',
            'E-invoice export (XRechnung)',
            'Invoice dispute workflow',
            'Monthly invoice run for enterprise accounts',
            'Credit notes on invoices',
          ],
        ],
        ['sepa', ['SEPA direct debit mandates', 'iDEAL payment method in checkout', 'SEPA payout reconciliation']],
      ],
    },
    Platform: {
      github: 'acme/platform-infra',
      jira: 'PLAT',
      asana: false,
      topics: [
        [
          'availability',
          [
            'Multi-zone failover for the API database',
            'Graceful degradation when fraud service is down',
            'Reduce night pages from disk alerts',
            'API availability SLO dashboard',
            'Load shedding on the payments API',
          ],
        ],
        [
          'ledger',
          [
            'Partition ledger tables by month',
            'Online migration of ledger to PostgreSQL 17',
            'Ledger migration dry run on staging',
          ],
        ],
      ],
    },
    Growth: {
      github: 'acme/web',
      jira: 'GROW',
      asana: true,
      topics: [
        [
          'conversion',
          [
            'Pricing page experiment: annual plans',
            'Trial reminder emails day 3 and day 10',
            'In-app upgrade prompt for trial teams',
            'Conversion funnel events for trials',
          ],
        ],
        [
          'onboarding',
          [
            'Invite colleagues during onboarding',
            'Team sign-up without sales call',
            'First payment checklist in onboarding',
            'Onboarding emails for new teams',
          ],
        ],
        ['svelte-admin', ['Port admin users table to Svelte']],
      ],
    },
    Mobile: {
      github: 'acme/mobile',
      jira: 'MOB',
      asana: false,
      topics: [
        [
          'mobile-release',
          [
            'Card reader pairing on Android',
            'Crash on iOS 18 when resuming payment',
            'Store review notes for 1.0',
            'Crash-free sessions: fix image cache leak',
          ],
        ],
        ['offline', ['Queue payments while offline', 'Sync offline payments on reconnect']],
      ],
    },
  };

export const CHORES = [
  'Bump dependencies',
  'Flaky test in CI',
  'Update README screenshots',
  'Investigate memory growth in worker',
  'Rename config flags',
  'Clean up feature flags',
  'Customer escalation: export missing rows',
  'Upgrade Node to 22',
];

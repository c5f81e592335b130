import type { JsonValue, Segment } from './bindings';

/** Demo data the MockBackend starts with (`npm run dev`, tests). */

export const DEMO_SEGMENTS: Segment[] = [
  {
    key: 'beta-testers',
    name: 'Beta testers',
    description: 'Staff and customers who opted in to beta features.',
    match_type: 'any',
    rules: [
      { attribute: 'email', operator: 'ends_with', values: ['@acme.com'], case_insensitive: true },
      { attribute: 'beta_opt_in', operator: 'eq', values: [true] },
    ],
  },
  {
    key: 'eu-customers',
    name: 'EU paying customers',
    description: 'Paying customers located in the EU.',
    match_type: 'all',
    rules: [
      { attribute: 'country', operator: 'in', values: ['DE', 'FR', 'ES', 'IT', 'NL'] },
      { attribute: 'plan', operator: 'neq', values: ['free'] },
    ],
  },
  {
    key: 'power-users',
    name: 'Power users',
    description: 'Very active users on a paid team plan.',
    match_type: 'all',
    rules: [
      { attribute: 'sessions_last_30d', operator: 'gte', values: [20] },
      {
        match_type: 'any',
        rules: [
          { attribute: 'plan', operator: 'in', values: ['pro', 'enterprise'] },
          { attribute: 'seats', operator: 'gt', values: [10] },
        ],
      },
    ],
  },
  {
    key: 'ios-17-plus',
    name: 'iOS app 17+',
    description: 'iOS users on app version 17.0.0 or newer.',
    match_type: 'all',
    rules: [
      { attribute: 'platform', operator: 'eq', values: ['ios'] },
      { attribute: 'app_version', operator: 'semver_gte', values: ['17.0.0'] },
    ],
  },
  {
    key: 'eu-power-users',
    name: 'EU power users',
    description: 'EU paying customers who are also power users.',
    match_type: 'all',
    rules: [
      { attribute: 'user', operator: 'in_segment', values: ['eu-customers'] },
      { attribute: 'user', operator: 'in_segment', values: ['power-users'] },
    ],
  },
];

export const DEMO_PERSONAS: { name: string; context: JsonValue }[] = [
  {
    name: 'German pro user',
    context: {
      key: 'user-123',
      email: 'anna@example.de',
      country: 'DE',
      plan: 'pro',
      seats: 3,
      sessions_last_30d: 42,
      platform: 'ios',
      app_version: '17.2.0',
    },
  },
  {
    name: 'US free user',
    context: {
      key: 'user-456',
      email: 'bob@example.com',
      country: 'US',
      plan: 'free',
      seats: 1,
      sessions_last_30d: 3,
      platform: 'android',
      app_version: '16.4.1',
    },
  },
];

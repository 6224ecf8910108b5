import type { SecretRule } from '../types.js';
import { ASSIGN, END } from './helpers.js';

/** Chat, payment, messaging and e-mail service credentials. */
export const saasRules: readonly SecretRule[] = [
  {
    id: 'slack-token',
    category: 'Slack',
    title: 'Slack token',
    severity: 'HIGH',
    regex: new RegExp(`(?<secret>xox[baprs]-[A-Za-z0-9-]{10,250})${END}`),
    keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'],
    wordStart: true,
  },
  {
    id: 'slack-webhook',
    category: 'Slack',
    title: 'Slack incoming webhook URL',
    severity: 'MEDIUM',
    regex:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/(?<secret>[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,32})/,
    keywords: ['hooks.slack.com'],
  },
  {
    id: 'stripe-secret-key',
    category: 'Stripe',
    title: 'Stripe live secret or restricted key',
    severity: 'CRITICAL',
    regex: new RegExp(`(?<secret>[sr]k_live_[A-Za-z0-9]{24,99})${END}`),
    keywords: ['sk_live_', 'rk_live_'],
    wordStart: true,
  },
  {
    id: 'twilio-api-key',
    category: 'Twilio',
    title: 'Twilio API key',
    severity: 'HIGH',
    regex: new RegExp(`(?<secret>SK[0-9a-f]{32})${END}`),
    keywords: ['sk'],
    wordStart: true,
  },
  {
    id: 'twilio-auth-token',
    category: 'Twilio',
    title: 'Twilio auth token',
    severity: 'HIGH',
    regex: new RegExp(
      String.raw`(?<key>twilio[\w.-]{0,20}?(?:auth)?[\w.-]?token)${ASSIGN}(?<secret>[0-9a-f]{32})${END}`,
      'i',
    ),
    keywords: ['twilio'],
  },
  {
    id: 'sendgrid-api-key',
    category: 'SendGrid',
    title: 'SendGrid API key',
    severity: 'HIGH',
    regex: new RegExp(`(?<secret>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${END}`),
    keywords: ['sg.'],
    wordStart: true,
  },
];

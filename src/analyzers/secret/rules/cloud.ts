import type { SecretRule } from '../types.js';
import { ASSIGN, END } from './helpers.js';

const AWS_KEY_PREFIXES = ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'A3T'];

/** AWS, Google Cloud and Azure credentials. */
export const cloudRules: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    category: 'AWS',
    title: 'AWS access key ID',
    severity: 'CRITICAL',
    regex: new RegExp(`(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})${END}`),
    keywords: AWS_KEY_PREFIXES,
    wordStart: true,
  },
  {
    id: 'aws-secret-access-key',
    category: 'AWS',
    title: 'AWS secret access key',
    severity: 'CRITICAL',
    regex: new RegExp(
      `(?<key>aws_?(?:secret)?_?(?:access)?_?key)${ASSIGN}(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    keywords: ['aws'],
    minEntropy: 3.5,
  },
  {
    id: 'gcp-service-account',
    category: 'Google',
    title: 'Google Cloud service-account key',
    severity: 'CRITICAL',
    regex: /"private_key"\s*:\s*"(?<secret>-----BEGIN[^"]{64,})"/,
    keywords: ['service_account'],
    requires: ['"type"', '"private_key"'],
  },
  {
    id: 'azure-storage-account-key',
    category: 'Azure',
    title: 'Azure storage account key',
    severity: 'CRITICAL',
    regex: new RegExp(
      String.raw`(?:(?<key>AccountKey)=|(?:azure[\w.-]{0,30}?key)${ASSIGN})(?<secret>[A-Za-z0-9+/]{86}==)`,
      'i',
    ),
    keywords: ['accountkey', 'azure'],
  },
  {
    id: 'azure-shared-access-key',
    category: 'Azure',
    title: 'Azure shared access key (Service Bus, Event Hubs, IoT Hub connection string)',
    severity: 'HIGH',
    regex: /(?<key>SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{42,43}=)/,
    keywords: ['sharedaccesskey='],
  },
];

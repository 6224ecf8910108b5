import type { Command } from 'commander';
import { isDebug, runAction } from '../run.js';
import type { ReviewFlags, ServeFlags } from './admission-run.js';

export function registerAdmission(program: Command): void {
  const admission = program
    .command('admission')
    .description('admission webhook: the same findings as config, verify and image, at deploy time');
  admission
    .command('review')
    .description(
      'answer one admission.k8s.io/v1 AdmissionReview offline (prints the response AdmissionReview)',
    )
    .argument('<review>', 'AdmissionReview JSON file (- for stdin)')
    .requiredOption('--policy <file>', 'AdmissionPolicy YAML')
    .option('--kubeconfig <file>', 'read namespace labels through this API server')
    .option('--insecure', 'plain HTTP and unverified TLS for registries')
    .option('--mutate', 'answer as /mutate (digest pinning JSONPatch)')
    .action((input: string, opts: ReviewFlags & { mutate?: boolean }) =>
      runAction(async () => {
        const { runReview } = await import('./admission-run.js');
        return runReview(input, opts);
      }, isDebug()),
    );
  admission
    .command('serve')
    .description('serve the validating and mutating webhook over HTTPS')
    .requiredOption('--policy <file>', 'AdmissionPolicy YAML')
    .requiredOption('--tls-cert <file>', 'server certificate (PEM; reloaded when the file changes)')
    .requiredOption('--tls-key <file>', 'server private key (PEM; reloaded when the file changes)')
    .option('--address <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8443')
    .option(
      '--kubeconfig <file>',
      'read namespace labels through this API server (default: in-cluster service account)',
    )
    .option('--insecure', 'plain HTTP and unverified TLS for registries')
    .action((opts: ServeFlags) =>
      runAction(async () => {
        const { runServe } = await import('./admission-run.js');
        return runServe(opts);
      }, isDebug()),
    );
}

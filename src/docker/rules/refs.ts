export const BEST_PRACTICES = 'https://docs.docker.com/build/building/best-practices/';
export const CIS_DOCKER = 'https://www.cisecurity.org/benchmark/docker';
export const hadolint = (code: string) => `https://github.com/hadolint/hadolint/wiki/${code}`;

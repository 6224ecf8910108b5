/** Where the rules' benchmark references point. */
export const CIS_K8S = 'https://www.cisecurity.org/benchmark/kubernetes';
export const NSA_K8S =
  'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF';
export const K8S_SECURITY_CHECKLIST = 'https://kubernetes.io/docs/concepts/security/security-checklist/';

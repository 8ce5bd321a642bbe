// What the CLI, the HTTP edge and the delivery worker may use of DKIM.
export { addDomain, describeDomain, parseDomainName, type AddDomainOptions, type AddedDomain } from './add-domain.ts';
export { createDomainKey, selectorFor, DKIM_ALGORITHMS, type DkimAlgorithm, type DomainKey } from './create-domain-key.ts';
export { dnsRecordsFor, type DnsRecord } from './dns-records.ts';
export { findDomain, listDomains, type DomainRow } from './domains.repository.ts';
export {
  createDkimSigner,
  needsRawSigning,
  nodemailerDkimOptions,
  signRawMessage,
  type DkimKey,
  type DkimSigner,
  type DkimSignerOptions,
} from './dkim-signer.ts';

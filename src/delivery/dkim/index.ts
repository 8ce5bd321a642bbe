// What the CLI, the HTTP edge and the delivery worker may use of DKIM.
export { addDomain, describeDomain, parseDomainName, removeDomain, type AddDomainOptions, type AddedDomain, type DescribeOptions } from './add-domain.ts';
export { createDomainKey, selectorFor, DKIM_ALGORITHMS, type DkimAlgorithm, type DomainKey } from './create-domain-key.ts';
export { dnsRecordsFor, type DnsRecord, type InboundMx } from './dns-records.ts';
export { findDomain, findDomainById, listDomains, type DomainRow } from './domains.repository.ts';
export { announceDomainChange, watchDomainChanges, DOMAINS_CHANNEL } from './domain-changes.ts';
export {
  createDkimSigner,
  needsRawSigning,
  nodemailerDkimOptions,
  signRawMessage,
  type DkimKey,
  type DkimSigner,
  type DkimSignerOptions,
} from './dkim-signer.ts';

import { parse } from 'tldts';

// The web domain a company owns, as duplicate evidence. "careers.acme.co.uk", "www.acme.co.uk/about" and
// "ana@mail.acme.co.uk" all belong to "acme.co.uk": the registrable domain, read through the Public Suffix List
// (tldts keeps it; a hand-written list of suffixes would miss "com.mx", "co.uk", "com.br" or the next one).
// The list's private section is used too, so "acme.github.io" and "other.github.io" stay two owners.
//
// A shared domain says nothing when it is a public mail provider (two clients on gmail.com) or a public
// host where companies only have a page (linkedin.com/company/acme, sites.google.com/…): those are listed below.

/**
 * Mail providers anyone can have an address at: a client's email there names a person's mailbox, not the
 * company's domain. Consumer webmail of Spain, Latin America, the UK, Germany, France and Portugal, and the
 * large international ones. A provider missing here makes two unrelated clients look alike (a warning at
 * most, never a block); add it here.
 */
export const publicMailDomains: ReadonlySet<string> = new Set([
  // international
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com', 'rocketmail.com', 'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'protonmail.com', 'proton.me', 'pm.me', 'tutanota.com', 'tuta.io', 'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'gmx.com', 'gmx.net',
  'mail.com', 'fastmail.com', 'hey.com', 'inbox.com', 'qq.com', '163.com',
  // Spain
  'hotmail.es', 'outlook.es', 'yahoo.es', 'live.es', 'gmx.es', 'telefonica.net', 'movistar.es', 'orange.es', 'terra.es', 'ono.com', 'vodafone.es', 'jazztel.es', 'wanadoo.es',
  'euskaltel.net', 'ya.com', 'correo.es',
  // Latin America
  'hotmail.com.mx', 'live.com.mx', 'yahoo.com.mx', 'prodigy.net.mx', 'hotmail.com.ar', 'yahoo.com.ar', 'live.com.ar', 'fibertel.com.ar', 'speedy.com.ar', 'hotmail.cl',
  'yahoo.cl', 'hotmail.co', 'yahoo.com.co', 'hotmail.com.br', 'yahoo.com.br', 'bol.com.br', 'uol.com.br', 'terra.com.br', 'ig.com.br', 'hotmail.com.pe', 'yahoo.com.pe',
  // United Kingdom and Ireland
  'hotmail.co.uk', 'yahoo.co.uk', 'live.co.uk', 'outlook.co.uk', 'btinternet.com', 'sky.com', 'virginmedia.com', 'talktalk.net', 'ntlworld.com', 'eircom.net',
  // Germany, Austria, Switzerland
  'gmx.de', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'yahoo.de', 'hotmail.de', 'outlook.de', 'posteo.de', 'mailbox.org', 'bluewin.ch',
  // France and Belgium
  'free.fr', 'laposte.net', 'orange.fr', 'wanadoo.fr', 'sfr.fr', 'neuf.fr', 'yahoo.fr', 'hotmail.fr', 'live.fr', 'outlook.fr', 'bbox.fr', 'skynet.be',
  // Portugal and Italy
  'sapo.pt', 'hotmail.pt', 'outlook.pt', 'clix.pt', 'iol.pt', 'libero.it', 'virgilio.it', 'tiscali.it', 'alice.it', 'hotmail.it', 'yahoo.it',
]);

/**
 * Sites where a company has a page but not a domain: social networks, site builders and file or link hosts
 * whose addresses are not in the Public Suffix List as separate owners.
 */
export const publicHostDomains: ReadonlySet<string> = new Set([
  'linkedin.com', 'facebook.com', 'fb.com', 'instagram.com', 'twitter.com', 'x.com', 'youtube.com', 'tiktok.com', 'pinterest.com', 'xing.com', 'google.com', 'goo.gl',
  'business.site', 'wix.com', 'wixsite.com', 'squarespace.com', 'wordpress.com', 'blogspot.com', 'medium.com', 'linktr.ee', 'bit.ly', 'tinyurl.com', 'about.me',
  'carrd.co', 'notion.site', 'jimdo.com', 'jimdosite.com', 'weebly.com', 'webnode.es', 'webnode.com', 'strikingly.com', 'yolasite.com', 'sites.google.com', 'dropbox.com',
  'github.com', 'gitlab.com', 'paginasamarillas.es', 'empresite.eleconomista.es', 'einforma.com', 'axesor.es', 'crunchbase.com', 'glassdoor.com', 'indeed.com',
  'infojobs.net', 'yelp.com', 'tripadvisor.com', 'amazon.com', 'etsy.com', 'ebay.com', 'mercadolibre.com', 'shopify.com', 'myshopify.com',
]);

const parsed = new Map<string, string | null>();

/** The registrable domain of a host or URL, or null (no host, an IP address, or only a public suffix). */
export function registrableDomain(hostOrUrl: string | null | undefined): string | null {
  if (!hostOrUrl) return null;
  const known = parsed.get(hostOrUrl);
  if (known !== undefined) return known;
  const trimmed = hostOrUrl.trim().toLowerCase();
  let domain: string | null = null;
  if (trimmed) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
    const result = parse(withScheme, { allowPrivateDomains: true });
    domain = result.isIp || !result.domain ? null : result.domain;
  }
  // Remembered: an import or a check reads the same candidates' websites again and again.
  if (parsed.size > 50_000) parsed.clear();
  parsed.set(hostOrUrl, domain);
  return domain;
}

/** "https://careers.acme.co.uk/jobs" → "acme.co.uk", or null when the site is a public host (a LinkedIn page). */
export function websiteDomain(website: string | null | undefined): string | null {
  const domain = registrableDomain(website);
  return domain && !publicHostDomains.has(domain) ? domain : null;
}

/** "ana@mail.acme.es" → "acme.es", or null for a public mail provider or an address without a domain. */
export function companyMailDomain(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const host = email.slice(at + 1).trim().toLowerCase();
  if (publicMailDomains.has(host)) return null;
  const domain = registrableDomain(host);
  return domain && !publicMailDomains.has(domain) && !publicHostDomains.has(domain) ? domain : null;
}

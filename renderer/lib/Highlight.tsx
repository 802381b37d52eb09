import { Mark } from '@mantine/core';
import { Fragment } from 'react';

const fold = (ch: string) => ch.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/** Ranges of `text` where any search term occurs, ignoring case and accents ("telefonica" marks "Telefónica"). */
export function matchRanges(text: string, search: string): [number, number][] {
  const terms = search.trim().split(/\s+/).filter(Boolean).map((t) => [...t].map(fold).join(''));
  if (!terms.length) return [];
  // Folded text with, for each folded character, the index of the original character it came from.
  const chars = [...text];
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const ch of chars) {
    const f = fold(ch);
    for (let i = 0; i < f.length; i++) origin.push(offset);
    folded += f;
    offset += ch.length;
  }
  origin.push(text.length);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    let from = folded.indexOf(term);
    while (from !== -1 && term) {
      ranges.push([origin[from]!, origin[from + term.length] ?? text.length]);
      from = folded.indexOf(term, from + term.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

export function Highlight({ text, search }: { text: string; search: string }) {
  const ranges = matchRanges(text, search);
  if (!ranges.length) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  ranges.forEach(([start, end], i) => {
    if (start > at) parts.push(<Fragment key={`t${i}`}>{text.slice(at, start)}</Fragment>);
    parts.push(<Mark key={`m${i}`}>{text.slice(start, end)}</Mark>);
    at = end;
  });
  if (at < text.length) parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

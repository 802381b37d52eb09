import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundedLines, ZipLimitError } from '../../main/transfer/zipGuard';

const collect = async (parts: (string | Buffer)[], max: number) => {
  const lines: string[] = [];
  for await (const line of boundedLines(Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))), max)) lines.push(line);
  return lines;
};

describe('boundedLines', () => {
  it('splits LF and CRLF lines across chunk boundaries, keeping a last line without newline', async () => {
    expect(await collect(['ab', 'c\r', '\nde', 'f\n\nghi'], 100)).toEqual(['abc', 'def', '', 'ghi']);
    expect(await collect(['x\n'], 100)).toEqual(['x']);
    expect(await collect([], 100)).toEqual([]);
  });

  it('decodes a character whose UTF-8 bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('Núñez\nAñil\n');
    expect(await collect([bytes.subarray(0, 2), bytes.subarray(2, 8), bytes.subarray(8)], 100)).toEqual(['Núñez', 'Añil']);
  });

  it('fails as soon as a line passes the limit, with or without its newline', async () => {
    await expect(collect(['12345\n', '123456'], 5)).rejects.toMatchObject({ problem: 'line_too_long' });
    await expect(collect(['123', '456\n'], 5)).rejects.toBeInstanceOf(ZipLimitError);
    expect(await collect(['123', '45\n12345'], 5)).toEqual(['12345', '12345']);
  });
});

import { ConfigurationError } from '../../../src/errors';
import { matchBlobPath, parseBlobPath } from '../../../src/triggers/blob/blobPathPattern';

describe('parseBlobPath', () => {
  it('captures {name} as the whole blob name, folders included', () => {
    const pattern = parseBlobPath('samples/{name}', 'f');

    expect(pattern.container).toBe('samples');
    expect(matchBlobPath(pattern, 'a/b/c.txt')).toEqual({ name: 'a/b/c.txt' });
  });

  it('splits {name}.{ext} at the last dot and needs literal parts to match', () => {
    const pattern = parseBlobPath('input/original-{name}.{ext}', 'f');

    expect(pattern.prefix).toBe('original-');
    expect(matchBlobPath(pattern, 'original-report.v2.pdf')).toEqual({ name: 'report.v2', ext: 'pdf' });
    expect(matchBlobPath(pattern, 'copy-report.pdf')).toBeUndefined();
    expect(matchBlobPath(pattern, 'original-report')).toBeUndefined();
  });

  it('reads {{ and }} as literal braces', () => {
    const pattern = parseBlobPath('data/{{id}}-{name}', 'f');

    expect(matchBlobPath(pattern, '{id}-x.json')).toEqual({ name: 'x.json' });
    expect(matchBlobPath(pattern, 'id-x.json')).toBeUndefined();
  });

  it('matches every blob when the path is only a container', () => {
    expect(matchBlobPath(parseBlobPath('uploads', 'f'), 'any/thing')).toEqual({});
    expect(matchBlobPath(parseBlobPath('uploads/', 'f'), 'any/thing')).toEqual({});
  });

  it('rejects a binding expression in the container and unbalanced braces, naming the function', () => {
    expect(() => parseBlobPath('{container}/{name}', 'resize')).toThrow(/'resize'.*container '\{container\}'/);
    expect(() => parseBlobPath('images/{name', 'resize')).toThrow(ConfigurationError);
    expect(() => parseBlobPath('images/name}', 'resize')).toThrow(/closes no token/);
  });
});

import { describe, expect, it } from 'vitest';
import { TemplateMiner } from './index.ts';

const miner = new TemplateMiner();
const tok = (m: string): string => miner.tokens(m).join(' ');

describe('built-in masks', () => {
  it.each([
    ['42', '<*>'],
    ['-17', '<*>'],
    ['3.14', '<*>'],
    ['0x7f3a', '<*>'],
    ['deadbeef42', '<*>'],
    ['10.1.2.3', '<*>'],
    ['10.1.2.3:8080', '<*>'],
    ['/10.1.2.3:50010', '<*>'],
    ['fe80::1', '<*>'],
    ['2001:db8::8a2e:370:7334', '<*>'],
    ['[::1]:8443', '<*>'],
    ['total-vm:8123400kB,', 'total-vm:<*>,'],
    ['12:30:45', '<*>'],
    ['123e4567-e89b-12d3-a456-426614174000', '<*>'],
    ['abcdefab-cdef-4bcd-8bcd-abcdefabcdef', '<*>'],
    ['/opt/wildfly/standalone/log/server.log', '<*>'],
    ['C:\\wildfly\\bin\\standalone.bat', '<*>'],
    ['https://shop.example.org/cart?id=7', '<*>'],
    ['ops-team@example.com', '<*>'],
    ['mail.example.com', '<*>'],
    ['123ms', '<*>'],
    ['12:30:45,123', '<*>'],
    ['2024-02-29', '<*>'],
  ])('%s → %s', (input, expected) => {
    expect(tok(input)).toBe(expected);
  });

  it('keeps JBoss/WildFly and other message ids, which name the message', () => {
    expect(tok('WFLYCTL0013: Operation failed')).toBe('WFLYCTL0013: Operation failed');
    expect(tok('JBAS015876: Starting deployment')).toBe('JBAS015876: Starting deployment');
    expect(tok('ISPN000152: Passivation configured')).toBe('ISPN000152: Passivation configured');
    expect(tok('WELD-000900: 2.3.5 (Final)')).toBe('WELD-000900: <*> (Final)');
    expect(tok('ORA-00942: table or view does not exist')).toBe('ORA-00942: table or view does not exist');
    expect(tok('KC-SERVICES0089: Failed to run task')).toBe('KC-SERVICES0089: Failed to run task');
    // but not node names or counters
    expect(tok('node R02-M1-N0-C:J12-U11 if eth0 host dn228 id A12')).toBe('node <*> if <*> host <*> id <*>');
  });

  it('keeps the kind of an id and masks its number', () => {
    expect(tok('blk_-1608999687919862906')).toBe('blk_<*>');
    expect(tok('blk_38865049064139660')).toBe('blk_<*>');
    expect(tok('appattempt_1500000000000_0007_000001')).toBe('appattempt_<*>');
    expect(tok('job_1500000000000_0007')).toBe('job_<*>');
    expect(tok('container_1500000000000_0007_01_000002')).toBe('container_<*>');
    expect(tok('(default task-12)')).toBe('(default task-<*>)');
    expect(tok('cache.....0')).toBe('cache.....<*>');
  });

  it('masks quoted values, including ones with spaces, as one token', () => {
    expect(miner.tokens('Deployed "shop.war" (runtime-name : "shop.war")')).toEqual([
      'Deployed',
      '"<*>"',
      '(runtime-name',
      ':',
      '"<*>")',
    ]);
    expect(tok("user 'Jane Doe' logged in")).toBe("user '<*>' logged in");
    expect(tok('name="two words" id=7')).toBe('name="<*>" id=<*>');
    // apostrophes are not quotes
    expect(tok("can't find child 1566")).toBe("can't find child <*>");
  });

  it('masks variable values of key=value pairs and keeps constant ones', () => {
    expect(tok('logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9 user=root')).toBe(
      'logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=root',
    );
    expect(tok('(uid=0)')).toBe('(uid=<*>)');
  });

  it('leaves words, Java class names and punctuation alone', () => {
    const m = 'Registering class org.acme.shop.CartBean for [TERM, HUP] done.';
    expect(tok(m)).toBe(m);
  });

  it('masks dates written inside a message as one variable', () => {
    expect(tok('connection from 198.51.100.7 () at Fri Jul  1 07:57:30 2005')).toBe('connection from <*> () at <*>');
    expect(tok('built on 3 Jul 2005 by ops')).toBe('built on <*> by ops');
    expect(tok('May I help')).toBe('May I help');
  });

  it('collapses runs of identical masked tokens (lists of any length)', () => {
    expect(tok('delete blk_1 blk_-2 blk_3')).toBe('delete blk_<*>');
    expect(tok('delete blk_1')).toBe('delete blk_<*>');
    expect(tok('values (1,2,3) and (4;5)')).toBe('values (<*>) and (<*>)');
    expect(tok('took 12 ms 400 us')).toBe('took <*> ms <*> us');
  });

  it('treats every ASCII whitespace run as one separator', () => {
    expect(miner.tokens(' \t a \r\n b\f\vc  ')).toEqual(['a', 'b', 'c']);
    expect(miner.tokens('   ')).toEqual([]);
    expect(miner.tokens('')).toEqual([]);
  });
});

describe('bounds', () => {
  it('reads at most maxTokens tokens and marks the rest with one <*>', () => {
    const m = new TemplateMiner({ maxTokens: 5 });
    expect(m.tokens('a b c d e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.tokens('a b c d e f g h')).toEqual(['a', 'b', 'c', 'd', '<*>']);
    expect(m.tokens('a b c d 4 f g h')).toEqual(['a', 'b', 'c', 'd', '<*>']);
    const long = `x ${'word '.repeat(200_000)}`;
    expect(new TemplateMiner().tokens(long)).toHaveLength(128);
  });

  it('masks a token longer than maxTokenLength whole', () => {
    const m = new TemplateMiner({ maxTokenLength: 16 });
    expect(m.tokens(`key ${'a'.repeat(17)} end`)).toEqual(['key', '<*>', 'end']);
    expect(m.tokens(`key ${'a'.repeat(16)} end`)).toEqual(['key', 'a'.repeat(16), 'end']);
    // a quoted value is looked for only within maxTokenLength characters
    expect(m.tokens(`say "${'b '.repeat(3)}" ok`)).toEqual(['say', '"<*>"', 'ok']);
    expect(m.tokens(`say "${'b '.repeat(20)}" ok`)).toHaveLength(23);
  });

  it('applies extra mask rules to each token before the built-in ones', () => {
    const m = new TemplateMiner({ extraMasks: [{ pattern: /^user-[a-z]+$/ }, { pattern: 'sess[A-Z]+', replacement: 'sess#' }] });
    expect(m.tokens('login user-bob sessABC')).toEqual(['login', '<*>', 'sess#']);
  });
});

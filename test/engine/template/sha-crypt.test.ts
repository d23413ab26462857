// SHA-crypt (engine/template/helpers/sha-crypt.ts) against glibc's crypt, read off this machine with
//   python3 -W ignore -c "import crypt; print(crypt.crypt(PASSWORD, '\$6\$rounds=N\$SALT'))"
// (Ansible's password_hash calls passlib, or this crypt without it): Ansible's default rounds, the
// implied 5000, passwords around the digest sizes (steps 9-11 and 16 loop over 32/64-byte blocks),
// an empty password and salt, UTF-8, the longest salt.
import { describe, expect, it } from 'vitest';
import { passwordHash } from '../../../engine/template/helpers/ansible-crypt.js';
import { shaCrypt, type ShaCryptId } from '../../../engine/template/helpers/sha-crypt.js';

const GLIBC: [ShaCryptId, string, string, number, string][] = [
  [
    '6',
    'secret',
    'saltsaltsaltsalt',
    656000,
    '$6$rounds=656000$saltsaltsaltsalt$4ba5CeMEORqYFu506J2iOS1rmBhuqZ8f0QFBq2A9AYZVwv3cCVOGluDpbJohojC0czUWG1Cb7ktgulDuZEbPq1',
  ],
  [
    '5',
    'secret',
    'saltsaltsaltsalt',
    535000,
    '$5$rounds=535000$saltsaltsaltsalt$FnjPkTWVXzveVHrTvVsPFHUAcjvGzuBShC.R3lfF2p2',
  ],
  [
    '6',
    'Hello world!',
    'saltstring',
    5000,
    '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  ],
  ['5', 'Hello world!', 'saltstring', 5000, '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
  [
    '6',
    '',
    'k3s',
    1000,
    '$6$rounds=1000$k3s$vT.LoMkicImXSWkJmgy.43Eq0C1hmt.f7NElI98KGv5ZvhvNEPwBcR4csRTOL/EAOIRalAafMvYkGRLqkIhBP1',
  ],
  ['5', '', '', 1000, '$5$rounds=1000$$jAQ1NZgJkatmWyAsK0NxDcSXTB41aRCrTggwkNbBkXA'],
  [
    '6',
    'pässword',
    'saltsalt',
    10000,
    '$6$rounds=10000$saltsalt$muqu0kbxsdnnl/Gr9IMYdl.kYVbzowQhf50WCX4c1A1qUXFjuSWGteW.MEke6cCrokZeBkp8gX2QQoAmpkLl5/',
  ],
  [
    '6',
    'x'.repeat(63),
    'a',
    1000,
    '$6$rounds=1000$a$Tjf29fMSwwkahysVhBMKJXO2FPYm8uBskXjIsIP53S5GKE/xQmKEwhlbnidQziIsN0dI0T0dgGYCihdaoA6sH/',
  ],
  [
    '6',
    'y'.repeat(64),
    'ab',
    1001,
    '$6$rounds=1001$ab$AqyEVAdpCfvj9fmDkZ8Uv18nfFNapdWLLShS9LOnpgzx0d6onJGiFSl8DmJ4lMvEUbg1lAtrQ/01jYPNgZ.56/',
  ],
  [
    '6',
    'z'.repeat(65),
    'abc',
    1002,
    '$6$rounds=1002$abc$mVyWXaXrNvPoF.yazAks1aP/ytc631HxFtuOv/ccKD4Kx3P4Re8etwScrHmQUK1bxWKGAbkkWjHz/8XbHArmy1',
  ],
  [
    '6',
    'w'.repeat(200),
    'abcdefghijklmnop',
    1003,
    '$6$rounds=1003$abcdefghijklmnop$ClZOLToW.sB2r5E96joRcecu2eomnc9JjKM1pVMejGMoWRZnJXI0FbWePpJzkzF3ipk7wlIo2BDMiXe3eU9VV.',
  ],
  ['5', 'x'.repeat(31), './', 1004, '$5$rounds=1004$./$sF8RXobEC7Rur4teteUQ0Zmk.9OCWFMEp8UqaAWh4V4'],
  ['5', 'y'.repeat(32), 'Z9', 1005, '$5$rounds=1005$Z9$wpoVOAxqCcjS3JhqjYzYeM6ojzXv3j6rUXX5diVA1y.'],
  [
    '5',
    'z'.repeat(33),
    'abcdefghijklmnop',
    1006,
    '$5$rounds=1006$abcdefghijklmnop$q7Zq98n5b9siK6FY9wtTyR8zIvItAVBjyBWZcTbBQx9',
  ],
  ['5', 'v'.repeat(130), 'q', 1007, '$5$rounds=1007$q$5o1ahUzuj7SyUKBUf7/Hx6sfqIrB/eYiVvBeoXUoEGD'],
];

describe('SHA-crypt gives what glibc’s crypt gives', () => {
  it.each(GLIBC)('$%s$ %j salt %j rounds %d', (id, password, salt, rounds, want) => {
    expect(shaCrypt(id, password, salt, rounds)).toBe(want);
  });

  it('password_hash uses it with Ansible’s defaults: 656000 rounds for sha512, 535000 for sha256', () => {
    expect(passwordHash('secret', 'sha512', { salt: 'saltsaltsaltsalt' })).toBe(GLIBC[0][4]);
    expect(passwordHash('secret', 'sha256_crypt', { salt: 'saltsaltsaltsalt' })).toBe(GLIBC[1][4]);
    expect(passwordHash('Hello world!', 'sha512', { salt: 'saltstring', rounds: 5000 })).toBe(GLIBC[2][4]);
  });
});

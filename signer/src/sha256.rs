//! SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): the two primitives the signature is made
//! of, written here so that the signer needs no cryptography crates.
//!
//! Both are fixed, fully specified functions without secret-dependent branches or table
//! lookups, so the code is short: a message schedule, 64 rounds, Merkle–Damgård padding, and
//! the two HMAC passes. On x86-64 processors with the SHA extensions (checked once at run
//! time) the compression function uses them, about four times faster than the portable
//! rounds, which run everywhere else. The tests compare both with the FIPS and RFC 4231
//! vectors and, on random input, with the RustCrypto `sha2` and `hmac` crates.

/// The round constants: the first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value: the first 32 bits of the fractional parts of the square roots of
/// the first 8 primes.
const INITIAL: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The block size in bytes.
const BLOCK: usize = 64;

/// A SHA-256 digest.
pub(crate) type Digest = [u8; 32];

/// An incremental SHA-256 computation.
#[derive(Clone)]
pub(crate) struct Sha256 {
    state: [u32; 8],
    /// Bytes of the current block not yet compressed; `buffered` of them are used.
    buffer: [u8; BLOCK],
    buffered: usize,
    /// The message length so far, in bytes.
    length: u64,
}

impl Sha256 {
    pub(crate) fn new() -> Self {
        Sha256 {
            state: INITIAL,
            buffer: [0; BLOCK],
            buffered: 0,
            length: 0,
        }
    }

    /// A hash that has compressed one block, leaving `state`.
    fn after_one_block(state: [u32; 8]) -> Self {
        Sha256 {
            state,
            buffer: [0; BLOCK],
            buffered: 0,
            length: BLOCK as u64,
        }
    }

    /// The digest of `data`.
    pub(crate) fn digest(data: &[u8]) -> Digest {
        let mut hasher = Sha256::new();
        hasher.update(data);
        hasher.finish()
    }

    /// Appends `data` to the message.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.buffered > 0 {
            let taken = data.len().min(BLOCK - self.buffered);
            self.buffer[self.buffered..self.buffered + taken].copy_from_slice(&data[..taken]);
            self.buffered += taken;
            data = &data[taken..];
            if self.buffered < BLOCK {
                return;
            }
            compress(&mut self.state, &self.buffer);
            self.buffered = 0;
        }
        let whole = data.len() / BLOCK * BLOCK;
        if whole > 0 {
            compress(&mut self.state, &data[..whole]);
        }
        let rest = &data[whole..];
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    /// Pads the message and returns its digest.
    pub(crate) fn finish(mut self) -> Digest {
        let bits = self.length.wrapping_mul(8);
        let mut tail = [0u8; 2 * BLOCK];
        tail[..self.buffered].copy_from_slice(&self.buffer[..self.buffered]);
        tail[self.buffered] = 0x80;
        // The padding ends with the 8-byte length; it takes a second block when fewer than
        // 9 bytes are left in this one.
        let end = if self.buffered < BLOCK - 8 {
            BLOCK
        } else {
            2 * BLOCK
        };
        tail[end - 8..end].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &tail[..end]);
        let mut digest = [0u8; 32];
        for (out, word) in digest.chunks_exact_mut(4).zip(self.state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

/// HMAC-SHA256 keyed once: the hash states after the inner and the outer padded key.
///
/// Keying compresses two blocks, which is a third of the work of signing a short string, so
/// a key used for many messages is keyed once and cloned for each. Each padded key is one
/// block, so the states alone say where the hashes stand.
#[derive(Clone)]
pub(crate) struct HmacSha256 {
    inner: [u32; 8],
    outer: [u32; 8],
}

/// One HMAC computation, started from a [`HmacSha256`].
pub(crate) struct Mac {
    inner: Sha256,
    outer: [u32; 8],
}

impl HmacSha256 {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let pad = |byte: u8| {
            let mut state = INITIAL;
            compress(&mut state, &block.map(|b| b ^ byte));
            state
        };
        HmacSha256 {
            inner: pad(0x36),
            outer: pad(0x5c),
        }
    }

    /// A MAC of a message still to be given.
    pub(crate) fn start(&self) -> Mac {
        Mac {
            inner: Sha256::after_one_block(self.inner),
            outer: self.outer,
        }
    }
}

impl Mac {
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    pub(crate) fn finish(self) -> Digest {
        let inner = self.inner.finish();
        let mut outer = Sha256::after_one_block(self.outer);
        outer.update(&inner);
        outer.finish()
    }
}

/// Whether two digests are equal, in time that does not depend on where they differ.
pub(crate) fn digests_equal(a: &Digest, b: &Digest) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keeps the compiler from turning the fold into a comparison that stops early.
    std::hint::black_box(difference) == 0
}

/// Compresses whole blocks of `data` (a multiple of 64 bytes) into `state`.
fn compress(state: &mut [u32; 8], data: &[u8]) {
    debug_assert_eq!(data.len() % BLOCK, 0);
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the processor has the features `x86::compress` is compiled for.
        unsafe { x86::compress(state, data) };
        return;
    }
    portable(state, data);
}

/// The compression function in plain Rust.
fn portable(state: &mut [u32; 8], data: &[u8]) {
    for block in data.chunks_exact(BLOCK) {
        let mut w = [0u32; 64];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for (k, w) in K.iter().zip(w) {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(*k)
                .wrapping_add(w);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (word, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(value);
        }
    }
}

/// The compression function with the x86 SHA extensions (`sha256rnds2`, `sha256msg1`,
/// `sha256msg2`), following Intel's description of them: the state is kept as the two
/// registers `ABEF` and `CDGH`, and each `sha256rnds2` does two rounds.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// Whether the processor has what [`compress`] needs. `std` caches the answer, so this
    /// is a load and a test.
    pub(super) fn available() -> bool {
        is_x86_feature_detected!("sha")
            && is_x86_feature_detected!("sse2")
            && is_x86_feature_detected!("ssse3")
            && is_x86_feature_detected!("sse4.1")
    }

    /// # Safety
    /// The processor must support SHA, SSE2, SSSE3 and SSE4.1 ([`available`]).
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn compress(state: &mut [u32; 8], data: &[u8]) {
        // Reverses the bytes of each 32-bit word: the message is big-endian.
        let byte_swap = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
        // SAFETY (all loads and stores): the pointers cover 16 bytes inside `state`, `data`
        // or `K`, and the unaligned forms are used.
        let (mut abef, mut cdgh) = unsafe {
            let dcba = _mm_loadu_si128(state.as_ptr().cast());
            let hgfe = _mm_loadu_si128(state.as_ptr().add(4).cast());
            let cdab = _mm_shuffle_epi32::<0xB1>(dcba);
            let efgh = _mm_shuffle_epi32::<0x1B>(hgfe);
            (
                _mm_alignr_epi8::<8>(cdab, efgh),
                _mm_blend_epi16::<0xF0>(efgh, cdab),
            )
        };
        // Four rounds with the message words `w` (W[4i..4i+4]) of group `i`.
        macro_rules! rounds {
            ($w:expr, $i:expr) => {{
                // SAFETY: `K` has 64 words, and `$i` is below 16.
                let k = unsafe { _mm_loadu_si128(super::K.as_ptr().add(4 * $i).cast()) };
                let words = _mm_add_epi32($w, k);
                cdgh = _mm_sha256rnds2_epu32(cdgh, abef, words);
                abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32::<0x0E>(words));
            }};
        }
        // W[t..t+4] from W[t-16..t-12], W[t-12..t-8], W[t-8..t-4] and W[t-4..t].
        macro_rules! schedule {
            ($oldest:expr, $older:expr, $old:expr, $newest:expr) => {
                _mm_sha256msg2_epu32(
                    _mm_add_epi32(
                        _mm_sha256msg1_epu32($oldest, $older),
                        _mm_alignr_epi8::<4>($newest, $old),
                    ),
                    $newest,
                )
            };
        }
        for block in data.chunks_exact(super::BLOCK) {
            let (abef_before, cdgh_before) = (abef, cdgh);
            // SAFETY: a block is 64 bytes, four loads of 16.
            let load = |i: usize| unsafe {
                _mm_shuffle_epi8(
                    _mm_loadu_si128(block.as_ptr().add(16 * i).cast()),
                    byte_swap,
                )
            };
            let (mut w0, mut w1, mut w2, mut w3) = (load(0), load(1), load(2), load(3));
            rounds!(w0, 0);
            rounds!(w1, 1);
            rounds!(w2, 2);
            rounds!(w3, 3);
            // Twelve more groups, each refilling the oldest register.
            for group in (4..16).step_by(4) {
                w0 = schedule!(w0, w1, w2, w3);
                rounds!(w0, group);
                w1 = schedule!(w1, w2, w3, w0);
                rounds!(w1, group + 1);
                w2 = schedule!(w2, w3, w0, w1);
                rounds!(w2, group + 2);
                w3 = schedule!(w3, w0, w1, w2);
                rounds!(w3, group + 3);
            }
            abef = _mm_add_epi32(abef, abef_before);
            cdgh = _mm_add_epi32(cdgh, cdgh_before);
        }
        let feba = _mm_shuffle_epi32::<0x1B>(abef);
        let dchg = _mm_shuffle_epi32::<0xB1>(cdgh);
        let dcba = _mm_blend_epi16::<0xF0>(feba, dchg);
        let hgef = _mm_alignr_epi8::<8>(dchg, feba);
        unsafe {
            _mm_storeu_si128(state.as_mut_ptr().cast(), dcba);
            _mm_storeu_si128(state.as_mut_ptr().add(4).cast(), hgef);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::hex_lower;

    fn hex(data: &[u8]) -> String {
        hex_lower(&Sha256::digest(data))
    }

    #[test]
    fn fips_180_vectors() {
        assert_eq!(
            hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        );
        let mut million = Sha256::new();
        for _ in 0..1000 {
            million.update(&[b'a'; 1000]);
        }
        assert_eq!(
            hex_lower(&million.finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn rfc_4231_vectors() {
        let mac = |key: &[u8], data: &[u8]| {
            let mut mac = HmacSha256::new(key).start();
            mac.update(data);
            hex_lower(&mac.finish())
        };
        assert_eq!(
            mac(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            mac(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            mac(&[0xaa; 20], &[0xdd; 50]),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        );
        // Test case 6: a key longer than the block size is hashed first.
        assert_eq!(
            mac(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// A small deterministic generator, so that a failure can be reproduced.
    fn bytes(seed: u64, length: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn agrees_with_rustcrypto_on_every_length_and_split() {
        use sha2::Digest as _;
        for length in 0..=300 {
            let data = bytes(length as u64, length);
            let expected: [u8; 32] = sha2::Sha256::digest(&data).into();
            assert_eq!(Sha256::digest(&data), expected, "length {length}");
            let mut portable_state = INITIAL;
            let mut padded = data.clone();
            // The portable rounds alone, on the padded message.
            padded.push(0x80);
            while padded.len() % BLOCK != BLOCK - 8 {
                padded.push(0);
            }
            padded.extend_from_slice(&((length as u64) * 8).to_be_bytes());
            portable(&mut portable_state, &padded);
            let portable_digest: Vec<u8> = portable_state
                .iter()
                .flat_map(|w| w.to_be_bytes())
                .collect();
            assert_eq!(portable_digest, expected, "portable, length {length}");
            // Fed in two pieces at every split point of short messages.
            if length <= 140 {
                for split in 0..=length {
                    let mut hasher = Sha256::new();
                    hasher.update(&data[..split]);
                    hasher.update(&data[split..]);
                    assert_eq!(hasher.finish(), expected, "length {length}, split {split}");
                }
            }
        }
    }

    #[test]
    fn hmac_agrees_with_rustcrypto_on_every_key_length() {
        use hmac::{KeyInit, Mac};
        for key_length in 0..=150 {
            let key = bytes(1000 + key_length as u64, key_length);
            let message = bytes(key_length as u64, key_length * 3 % 257);
            let mut theirs = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key");
            theirs.update(&message);
            let expected: [u8; 32] = theirs.finalize().into_bytes().into();
            let keyed = HmacSha256::new(&key);
            for _ in 0..2 {
                let mut ours = keyed.start();
                ours.update(&message);
                assert_eq!(ours.finish(), expected, "key length {key_length}");
            }
        }
    }

    #[test]
    fn digests_compare_by_every_byte() {
        let a = Sha256::digest(b"a");
        assert!(digests_equal(&a, &a));
        for index in 0..32 {
            let mut b = a;
            b[index] ^= 1;
            assert!(!digests_equal(&a, &b), "byte {index}");
        }
    }

    #[test]
    fn the_dispatched_rounds_agree_with_the_portable_ones() {
        // On x86-64 with the SHA extensions this compares them with the portable rounds; on
        // any other processor `compress` is the portable rounds, compared with themselves.
        for blocks in 0..5 {
            let data = bytes(77 + blocks as u64, blocks * BLOCK);
            let mut dispatched = INITIAL;
            compress(&mut dispatched, &data);
            let mut slow = INITIAL;
            portable(&mut slow, &data);
            assert_eq!(dispatched, slow, "{blocks} blocks");
        }
    }
}

// SomeMessage, with holes (SWI-Prolog manual)
// R0: function bailOut
// R1: function (anonymous)
// R2: function put
// R3: function checkString
// R4: function put
// R5: function put
// R6: function check
// R7: function put
// R8: a compiled message
// R9: a compiled message
// R10: function (anonymous)
// R11: function zigzag64
// R12: function get
// R13: a copy of function joinUnsigned
// R14: function get
// R15: a copy of function makeAscii
// R16: a copy of function makeUtf8
// R17: function get
// R18: function get
// R19: function get
// R20: a copy of function unzigzag
// R21: a copy of function unzigzag
// R22: function estimateVarints
return {
  encode(w, v, ctx) {
    if (!Array.isArray(v) || v.length !== 8) throw BAIL;
    {
      const x0 = v[0];
      if (x0 === undefined) throw BAIL;
      w.byte(8);
      if (typeof x0 === 'number' && (x0 | 0) === x0 && x0 >= 0) {
        w.ensure(5);
        const b = w.buf;
        let p = w.pos, u = x0;
        while (u > 127) {
          b[p++] = (u & 127) | 128;
          u >>>= 7
        }
        b[p++] = u;
        w.pos = p;
      } else {
        if ((typeof x0 === 'number' && Number.isInteger(x0) && x0 >= 0 && x0 <= 9007199254740991)) {
          w.ensure(10);
          const b = w.buf;
          let p = w.pos, lo = x0 >>> 0, hi = Math.floor(x0 / 4294967296) >>> 0;
          while (hi !== 0) {
            b[p++] = (lo & 127) | 128;
            lo = ((lo >>> 7) | (hi << 25)) >>> 0;
            hi >>>= 7
          }
          while (lo > 127) {
            b[p++] = (lo & 127) | 128;
            lo >>>= 7
          }
          b[p++] = lo;
          w.pos = p;
        } else {
          if (R1(x0) !== undefined) throw BAIL;
          R2(w, x0);
        }
      }
    }
    {
      const x1 = v[1];
      if (x1 === undefined) throw BAIL;
      w.byte(18);
      if (typeof x1 !== 'string') throw BAIL;
      {
        const n = x1.length;
        let done = false;
        if (n < 128) {
          w.ensure(3 * n + 1);
          const b = w.buf, p = w.pos + 1;
          let i = 0;
          for (; i < n; i++) {
            const c = x1.charCodeAt(i);
            if (c > 127) break;
            b[p + i] = c
          }
          if (i === n) {
            b[p - 1] = n;
            w.pos = p + n;
            done = true
          } else if (n < 43) {
            let q = p + i;
            for (; i < n; i++) {
              let c = x1.charCodeAt(i);
              if (c < 128) b[q++] = c;
              else if (c < 2048) {
                b[q++] = 192 | (c >> 6);
                b[q++] = 128 | (c & 63)
              } else if (c < 55296 || c > 57343) {
                b[q++] = 224 | (c >> 12);
                b[q++] = 128 | ((c >> 6) & 63);
                b[q++] = 128 | (c & 63)
              } else {
                const d = i + 1 < n ? x1.charCodeAt(i + 1) : 0;
                if (c > 56319 || d < 56320 || d > 57343) break;
                i++;
                c = 65536 + ((c & 1023) << 10) + (d & 1023);
                b[q++] = 240 | (c >> 18);
                b[q++] = 128 | ((c >> 12) & 63);
                b[q++] = 128 | ((c >> 6) & 63);
                b[q++] = 128 | (c & 63)
              }
            }
            if (i === n) {
              b[p - 1] = q - p;
              w.pos = q;
              done = true
            }
          }
        }
        if (!done) {
          if (R3(x1) !== undefined) throw BAIL;
          R4(w, x1);
        }
      }
    }
    {
      const x2 = v[2];
      if (!Array.isArray(x2)) throw BAIL;
      for (let i1 = 0; i1 < x2.length; i1++) {
        const e0 = x2[i1];
        w.byte(26);
        if (typeof e0 !== 'string') throw BAIL;
        {
          const n = e0.length;
          let done = false;
          if (n < 128) {
            w.ensure(3 * n + 1);
            const b = w.buf, p = w.pos + 1;
            let i = 0;
            for (; i < n; i++) {
              const c = e0.charCodeAt(i);
              if (c > 127) break;
              b[p + i] = c
            }
            if (i === n) {
              b[p - 1] = n;
              w.pos = p + n;
              done = true
            } else if (n < 43) {
              let q = p + i;
              for (; i < n; i++) {
                let c = e0.charCodeAt(i);
                if (c < 128) b[q++] = c;
                else if (c < 2048) {
                  b[q++] = 192 | (c >> 6);
                  b[q++] = 128 | (c & 63)
                } else if (c < 55296 || c > 57343) {
                  b[q++] = 224 | (c >> 12);
                  b[q++] = 128 | ((c >> 6) & 63);
                  b[q++] = 128 | (c & 63)
                } else {
                  const d = i + 1 < n ? e0.charCodeAt(i + 1) : 0;
                  if (c > 56319 || d < 56320 || d > 57343) break;
                  i++;
                  c = 65536 + ((c & 1023) << 10) + (d & 1023);
                  b[q++] = 240 | (c >> 18);
                  b[q++] = 128 | ((c >> 12) & 63);
                  b[q++] = 128 | ((c >> 6) & 63);
                  b[q++] = 128 | (c & 63)
                }
              }
              if (i === n) {
                b[p - 1] = q - p;
                w.pos = q;
                done = true
              }
            }
          }
          if (!done) {
            if (R3(e0) !== undefined) throw BAIL;
            R5(w, e0);
          }
        }
      }
    }
    {
      const x3 = v[3];
      if (x3 === undefined) throw BAIL;
      w.byte(32);
      if (x3 === true) w.byte(1);
      else if (x3 === false) w.byte(0);
      else {
        if (R6(x3) !== undefined) throw BAIL;
        R7(w, x3);
      }
    }
    {
      const x4 = v[4];
      if (x4 === undefined) throw BAIL;
      w.byte(42);
      w.ensure(1);
      const m2 = w.pos++, xm2 = w.extra;
      if (++ctx.depth > ctx.maxDepth) throw BAIL;
      R8.encode(w, x4, ctx);
      ctx.depth--;
      {
        const n = w.pos - m2 - 1 + w.extra - xm2;
        if (n < 128) w.buf[m2] = n;
        else w.defer(m2, n);
      }
    }
    {
      const x5 = v[5];
      if (!Array.isArray(x5)) throw BAIL;
      for (let i4 = 0; i4 < x5.length; i4++) {
        const e3 = x5[i4];
        w.byte(50);
        w.ensure(1);
        const m5 = w.pos++, xm5 = w.extra;
        if (++ctx.depth > ctx.maxDepth) throw BAIL;
        R9.encode(w, e3, ctx);
        ctx.depth--;
        {
          const n = w.pos - m5 - 1 + w.extra - xm5;
          if (n < 128) w.buf[m5] = n;
          else w.defer(m5, n);
        }
      }
    }
    {
      const x6 = v[6];
      if (!Array.isArray(x6)) throw BAIL;
      for (let i7 = 0; i7 < x6.length; i7++) {
        const e6 = x6[i7];
        w.byte(56);
        if (typeof e6 === 'number' && (e6 | 0) === e6) {
          w.ensure(5);
          const b = w.buf;
          let p = w.pos, u = ((e6 << 1) ^ (e6 >> 31)) >>> 0;
          while (u > 127) {
            b[p++] = (u & 127) | 128;
            u >>>= 7
          }
          b[p++] = u;
          w.pos = p;
        } else {
          if ((typeof e6 === 'number' && Number.isInteger(e6) && e6 >= -9007199254740991 && e6 <= 9007199254740991)) {
            const s = e6 < 0 ? 1 : 0, m = s === 1 ? -e6 - 1 : e6, l = m >>> 0;
            {
              w.ensure(10);
              const b = w.buf;
              let p = w.pos, lo = ((l << 1) | s) >>> 0, hi = ((Math.floor(m / 4294967296) << 1) | (l >>> 31)) >>> 0;
              while (hi !== 0) {
                b[p++] = (lo & 127) | 128;
                lo = ((lo >>> 7) | (hi << 25)) >>> 0;
                hi >>>= 7
              }
              while (lo > 127) {
                b[p++] = (lo & 127) | 128;
                lo >>>= 7
              }
              b[p++] = lo;
              w.pos = p;
            }
          } else {
            if (R10(e6) !== undefined) throw BAIL;
            R11(w, e6);
          }
        }
      }
    }
    {
      const x7 = v[7];
      if (!Array.isArray(x7)) throw BAIL;
      if (x7.length > 0) {
        w.byte(66);
        w.ensure(1);
        const m10 = w.pos++, xm10 = w.extra;
        for (let i9 = 0; i9 < x7.length; i9++) {
          const e8 = x7[i9];
          if (typeof e8 === 'number' && (e8 | 0) === e8) {
            w.ensure(5);
            const b = w.buf;
            let p = w.pos, u = ((e8 << 1) ^ (e8 >> 31)) >>> 0;
            while (u > 127) {
              b[p++] = (u & 127) | 128;
              u >>>= 7
            }
            b[p++] = u;
            w.pos = p;
          } else {
            if ((typeof e8 === 'number' && Number.isInteger(e8) && e8 >= -9007199254740991 && e8 <= 9007199254740991)) {
              const s = e8 < 0 ? 1 : 0, m = s === 1 ? -e8 - 1 : e8, l = m >>> 0;
              {
                w.ensure(10);
                const b = w.buf;
                let p = w.pos, lo = ((l << 1) | s) >>> 0, hi = ((Math.floor(m / 4294967296) << 1) | (l >>> 31)) >>> 0;
                while (hi !== 0) {
                  b[p++] = (lo & 127) | 128;
                  lo = ((lo >>> 7) | (hi << 25)) >>> 0;
                  hi >>>= 7
                }
                while (lo > 127) {
                  b[p++] = (lo & 127) | 128;
                  lo >>>= 7
                }
                b[p++] = lo;
                w.pos = p;
              }
            } else {
              if (R10(e8) !== undefined) throw BAIL;
              R11(w, e8);
            }
          }
        }
        {
          const n = w.pos - m10 - 1 + w.extra - xm10;
          if (n < 128) w.buf[m10] = n;
          else w.defer(m10, n);
        }
      }
    }
  },
  decode(r, end, ctx, endGroup) {
    const buf = r.buf;
    let s0;
    let s1;
    const s2 = [];
    let s3;
    let s4;
    const s5 = [];
    const s6 = [];
    const s7 = [];
    for (;;) {
      if (r.pos >= end) {
        if (endGroup !== 0) throw BAIL;
        break
      }
      const st = r.pos;
      let t = buf[st];
      if (t < 0x80) r.pos = st + 1;
      else if (st + 1 < end && buf[st + 1] < 0x80) {
        t = (t & 0x7f) | (buf[st + 1] << 7);
        r.pos = st + 2;
      }
      else t = r.tag();
      switch (t) {
        case 8: {
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              s0 = n;
            } else if (p < lim) {
              c = b[p++];
              const lo = (n | ((c & 15) << 28)) >>> 0;
              let hi = (c & 127) >> 4;
              k = 3;
              while (c > 127 && k < 32 && p < lim) {
                c = b[p++];
                hi |= (c & 127) << k;
                k += 7
              }
              const v = c < 128 ? R13(lo, hi >>> 0) : Number.NaN;
              if (v === v) {
                r.pos = p;
                s0 = v
              } else {
                s0 = R12(r, r.pos);
              }
            } else {
              s0 = R12(r, r.pos);
            }
          }
          continue;
        }
        case 18: {
          {
            const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n;
            if (n < 128 && e <= r.end) {
              let i = p + 1;
              while (i < e && b[i] < 128) i++;
              if (i === e) {
                r.pos = e;
                s1 = R15(b, p + 1, e)
              } else {
                const u = R16(b, p + 1, e);
                if (u !== undefined) {
                  r.pos = e;
                  s1 = u
                } else {
                  s1 = R14(r, r.pos);
                }
              }
            } else {
              s1 = R14(r, r.pos);
            }
          }
          continue;
        }
        case 26: {
          let v11;
          {
            const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n;
            if (n < 128 && e <= r.end) {
              let i = p + 1;
              while (i < e && b[i] < 128) i++;
              if (i === e) {
                r.pos = e;
                v11 = R15(b, p + 1, e)
              } else {
                const u = R16(b, p + 1, e);
                if (u !== undefined) {
                  r.pos = e;
                  v11 = u
                } else {
                  v11 = R17(r, r.pos);
                }
              }
            } else {
              v11 = R17(r, r.pos);
            }
          }
          s2.push(v11);
          continue;
        }
        case 32: {
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              s3 = n !== 0;
            } else {
              s3 = R18(r, r.pos);
            }
          }
          continue;
        }
        case 42: {
          if (s4 !== undefined) throw BAIL;
          let e12;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e12 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e12 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e12 = -1;
            if (e12 < 0 || e12 > r.end) {
              r.pos = p;
              e12 = r.length()
            }
          }
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          const o13 = r.end;
          r.end = e12;
          s4 = R8.decode(r, e12, ctx, 0);
          r.end = o13;
          ctx.depth--;
          continue;
        }
        case 50: {
          let v14;
          let e15;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e15 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e15 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e15 = -1;
            if (e15 < 0 || e15 > r.end) {
              r.pos = p;
              e15 = r.length()
            }
          }
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          const o16 = r.end;
          r.end = e15;
          v14 = R9.decode(r, e15, ctx, 0);
          r.end = o16;
          ctx.depth--;
          s5.push(v14);
          continue;
        }
        case 56: {
          let v17;
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              v17 = (n >>> 1) ^ -(n & 1);
            } else if (p < lim) {
              c = b[p++];
              const lo = (n | ((c & 15) << 28)) >>> 0;
              let hi = (c & 127) >> 4;
              k = 3;
              while (c > 127 && k < 32 && p < lim) {
                c = b[p++];
                hi |= (c & 127) << k;
                k += 7
              }
              const v = c < 128 ? R20(lo, hi >>> 0) : Number.NaN;
              if (v === v) {
                r.pos = p;
                v17 = v
              } else {
                v17 = R19(r, r.pos);
              }
            } else {
              v17 = R19(r, r.pos);
            }
          }
          s6.push(v17);
          continue;
        }
        case 58: {
          let e18;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e18 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e18 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e18 = -1;
            if (e18 < 0 || e18 > r.end) {
              r.pos = p;
              e18 = r.length()
            }
          }
          const o19 = r.end;
          r.end = e18;
          {
            const b = r.buf;
            let p = r.pos, ok = true, m = 0;
            m = R22(b, p, e18);
            const k = s6.length;
            if (m > 16) {
              s6.push(0.5);
              s6.length = k + m
            }
            let i = k;
            while (p < e18) {
              const q = p;
              let c = b[p++], n = c & 127, v = 0;
              if (c < 128) v = (n >>> 1) ^ -(n & 1);
              else {
                c = b[p++];
                n |= (c & 127) << 7;
                if (c < 128) v = (n >>> 1) ^ -(n & 1);
                else {
                  c = b[p++];
                  n |= (c & 127) << 14;
                  if (c < 128) v = (n >>> 1) ^ -(n & 1);
                  else {
                    c = b[p++];
                    n |= (c & 127) << 21;
                    if (c < 128) v = (n >>> 1) ^ -(n & 1);
                    else {
                      c = b[p++];
                      const lo = (n | ((c & 15) << 28)) >>> 0;
                      let hi = (c & 127) >> 4, k = 3;
                      while (c > 127 && k < 32) {
                        c = b[p++];
                        hi |= (c & 127) << k;
                        k += 7
                      }
                      v = c < 128 ? R21(lo, hi >>> 0) : Number.NaN
                    }
                  }
                }
              }
              if (v !== v || p > e18) {
                p = q;
                ok = false;
                break
              }
              s6[i++] = v
            }
            if (s6.length !== i) s6.length = i;
            r.pos = p;
            if (!ok) {
              while (r.pos < e18) {
                let v20;
                {
                  const b = r.buf, lim = r.end;
                  let p = r.pos, n = 0, c = 128, k = 0;
                  while (c > 127 && k < 28 && p < lim) {
                    c = b[p++];
                    n |= (c & 127) << k;
                    k += 7
                  }
                  if (c < 128) {
                    r.pos = p;
                    v20 = (n >>> 1) ^ -(n & 1);
                  } else if (p < lim) {
                    c = b[p++];
                    const lo = (n | ((c & 15) << 28)) >>> 0;
                    let hi = (c & 127) >> 4;
                    k = 3;
                    while (c > 127 && k < 32 && p < lim) {
                      c = b[p++];
                      hi |= (c & 127) << k;
                      k += 7
                    }
                    const v = c < 128 ? R20(lo, hi >>> 0) : Number.NaN;
                    if (v === v) {
                      r.pos = p;
                      v20 = v
                    } else {
                      v20 = R19(r, r.pos);
                    }
                  } else {
                    v20 = R19(r, r.pos);
                  }
                }
                s6.push(v20);
              }
            }
          }
          r.end = o19;
          continue;
        }
        case 64: {
          let v21;
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              v21 = (n >>> 1) ^ -(n & 1);
            } else if (p < lim) {
              c = b[p++];
              const lo = (n | ((c & 15) << 28)) >>> 0;
              let hi = (c & 127) >> 4;
              k = 3;
              while (c > 127 && k < 32 && p < lim) {
                c = b[p++];
                hi |= (c & 127) << k;
                k += 7
              }
              const v = c < 128 ? R20(lo, hi >>> 0) : Number.NaN;
              if (v === v) {
                r.pos = p;
                v21 = v
              } else {
                v21 = R19(r, r.pos);
              }
            } else {
              v21 = R19(r, r.pos);
            }
          }
          s7.push(v21);
          continue;
        }
        case 66: {
          let e22;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e22 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e22 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e22 = -1;
            if (e22 < 0 || e22 > r.end) {
              r.pos = p;
              e22 = r.length()
            }
          }
          const o23 = r.end;
          r.end = e22;
          {
            const b = r.buf;
            let p = r.pos, ok = true, m = 0;
            m = R22(b, p, e22);
            const k = s7.length;
            if (m > 16) {
              s7.push(0.5);
              s7.length = k + m
            }
            let i = k;
            while (p < e22) {
              const q = p;
              let c = b[p++], n = c & 127, v = 0;
              if (c < 128) v = (n >>> 1) ^ -(n & 1);
              else {
                c = b[p++];
                n |= (c & 127) << 7;
                if (c < 128) v = (n >>> 1) ^ -(n & 1);
                else {
                  c = b[p++];
                  n |= (c & 127) << 14;
                  if (c < 128) v = (n >>> 1) ^ -(n & 1);
                  else {
                    c = b[p++];
                    n |= (c & 127) << 21;
                    if (c < 128) v = (n >>> 1) ^ -(n & 1);
                    else {
                      c = b[p++];
                      const lo = (n | ((c & 15) << 28)) >>> 0;
                      let hi = (c & 127) >> 4, k = 3;
                      while (c > 127 && k < 32) {
                        c = b[p++];
                        hi |= (c & 127) << k;
                        k += 7
                      }
                      v = c < 128 ? R21(lo, hi >>> 0) : Number.NaN
                    }
                  }
                }
              }
              if (v !== v || p > e22) {
                p = q;
                ok = false;
                break
              }
              s7[i++] = v
            }
            if (s7.length !== i) s7.length = i;
            r.pos = p;
            if (!ok) {
              while (r.pos < e22) {
                let v24;
                {
                  const b = r.buf, lim = r.end;
                  let p = r.pos, n = 0, c = 128, k = 0;
                  while (c > 127 && k < 28 && p < lim) {
                    c = b[p++];
                    n |= (c & 127) << k;
                    k += 7
                  }
                  if (c < 128) {
                    r.pos = p;
                    v24 = (n >>> 1) ^ -(n & 1);
                  } else if (p < lim) {
                    c = b[p++];
                    const lo = (n | ((c & 15) << 28)) >>> 0;
                    let hi = (c & 127) >> 4;
                    k = 3;
                    while (c > 127 && k < 32 && p < lim) {
                      c = b[p++];
                      hi |= (c & 127) << k;
                      k += 7
                    }
                    const v = c < 128 ? R20(lo, hi >>> 0) : Number.NaN;
                    if (v === v) {
                      r.pos = p;
                      v24 = v
                    } else {
                      v24 = R19(r, r.pos);
                    }
                  } else {
                    v24 = R19(r, r.pos);
                  }
                }
                s7.push(v24);
              }
            }
          }
          r.end = o23;
          continue;
        }
      }
      if ((t & 7) === 4) {
        if (t === endGroup) break;
        throw BAIL;
      }
      if (t < 8) throw BAIL;
      r.skip(t, st, ctx.maxDepth - ctx.depth);
    }
    const v0 = (s0 === undefined ? R0() : s0);
    const v1 = (s1 === undefined ? R0() : s1);
    const v2 = s2;
    const v3 = (s3 === undefined ? R0() : s3);
    const v4 = (s4 === undefined ? R0() : s4);
    const v5 = s5;
    const v6 = s6;
    const v7 = s7;
    return [v0, v1, v2, v3, v4, v5, v6, v7];
  }
}

// a person: optional, defaulted enum, packed floats, record oneof, constant, group, map, unknown fields
// R0: function bailOut
// R1: function checkString
// R2: function put
// R3: function (anonymous)
// R4: function put
// R5: "mobile"
// R6: function check
// R7: function put
// R8: function checkNumber
// R9: function put
// R10: function (anonymous)
// R11: function put
// R12: bytes 40 02
// R13: a compiled message
// R14: function is
// R15: function entries
// R16: a compiled message
// R17: a compiled message
// R18: function get
// R19: a copy of function makeAscii
// R20: a copy of function makeUtf8
// R21: function get
// R22: function get
// R23: function get
// R24: function get
// R25: a copy of function joinUnsigned
// R26: ["phone", "fax"]
// R27: function is
// R28: 2
// R29: a compiled message
// R30: function filled
return {
  encode(w, v, ctx) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw BAIL;
    {
      const x0 = v["name"];
      if (x0 === undefined) throw BAIL;
      w.byte(10);
      if (typeof x0 !== 'string') throw BAIL;
      {
        const n = x0.length;
        let done = false;
        if (n < 128) {
          w.ensure(3 * n + 1);
          const b = w.buf, p = w.pos + 1;
          let i = 0;
          for (; i < n; i++) {
            const c = x0.charCodeAt(i);
            if (c > 127) break;
            b[p + i] = c
          }
          if (i === n) {
            b[p - 1] = n;
            w.pos = p + n;
            done = true
          } else if (n < 43) {
            let q = p + i;
            for (; i < n; i++) {
              let c = x0.charCodeAt(i);
              if (c < 128) b[q++] = c;
              else if (c < 2048) {
                b[q++] = 192 | (c >> 6);
                b[q++] = 128 | (c & 63)
              } else if (c < 55296 || c > 57343) {
                b[q++] = 224 | (c >> 12);
                b[q++] = 128 | ((c >> 6) & 63);
                b[q++] = 128 | (c & 63)
              } else {
                const d = i + 1 < n ? x0.charCodeAt(i + 1) : 0;
                if (c > 56319 || d < 56320 || d > 57343) break;
                i++;
                c = 65536 + ((c & 1023) << 10) + (d & 1023);
                b[q++] = 240 | (c >> 18);
                b[q++] = 128 | ((c >> 12) & 63);
                b[q++] = 128 | ((c >> 6) & 63);
                b[q++] = 128 | (c & 63)
              }
            }
            if (i === n) {
              b[p - 1] = q - p;
              w.pos = q;
              done = true
            }
          }
        }
        if (!done) {
          if (R1(x0) !== undefined) throw BAIL;
          R2(w, x0);
        }
      }
    }
    {
      const x1 = v["id"];
      if (x1 === undefined) throw BAIL;
      w.byte(16);
      if (typeof x1 === 'number' && (x1 | 0) === x1 && x1 >= 0) {
        w.ensure(5);
        const b = w.buf;
        let p = w.pos, u = x1;
        while (u > 127) {
          b[p++] = (u & 127) | 128;
          u >>>= 7
        }
        b[p++] = u;
        w.pos = p;
      } else {
        if (R3(x1) !== undefined) throw BAIL;
        R4(w, x1);
      }
    }
    {
      const x2 = v["email"];
      if (x2 !== undefined) {
        if (x2 === undefined) throw BAIL;
        w.byte(26);
        if (typeof x2 !== 'string') throw BAIL;
        {
          const n = x2.length;
          let done = false;
          if (n < 128) {
            w.ensure(3 * n + 1);
            const b = w.buf, p = w.pos + 1;
            let i = 0;
            for (; i < n; i++) {
              const c = x2.charCodeAt(i);
              if (c > 127) break;
              b[p + i] = c
            }
            if (i === n) {
              b[p - 1] = n;
              w.pos = p + n;
              done = true
            } else if (n < 43) {
              let q = p + i;
              for (; i < n; i++) {
                let c = x2.charCodeAt(i);
                if (c < 128) b[q++] = c;
                else if (c < 2048) {
                  b[q++] = 192 | (c >> 6);
                  b[q++] = 128 | (c & 63)
                } else if (c < 55296 || c > 57343) {
                  b[q++] = 224 | (c >> 12);
                  b[q++] = 128 | ((c >> 6) & 63);
                  b[q++] = 128 | (c & 63)
                } else {
                  const d = i + 1 < n ? x2.charCodeAt(i + 1) : 0;
                  if (c > 56319 || d < 56320 || d > 57343) break;
                  i++;
                  c = 65536 + ((c & 1023) << 10) + (d & 1023);
                  b[q++] = 240 | (c >> 18);
                  b[q++] = 128 | ((c >> 12) & 63);
                  b[q++] = 128 | ((c >> 6) & 63);
                  b[q++] = 128 | (c & 63)
                }
              }
              if (i === n) {
                b[p - 1] = q - p;
                w.pos = q;
                done = true
              }
            }
          }
          if (!done) {
            if (R1(x2) !== undefined) throw BAIL;
            R2(w, x2);
          }
        }
      }
    }
    {
      const x3 = v["kind"];
      if (x3 !== undefined && !Object.is(x3, R5)) {
        if (x3 === undefined) throw BAIL;
        w.byte(32);
        {
          let n = -1;
          switch (x3) {
            case "mobile": n = 0;
            break;
            case "home": n = 1;
            break;
            case "work": n = 2;
            break;
          }
          if (n >= 0) {
            w.ensure(5);
            const b = w.buf;
            let p = w.pos, u = n;
            while (u > 127) {
              b[p++] = (u & 127) | 128;
              u >>>= 7
            }
            b[p++] = u;
            w.pos = p;
          } else {
            if (R6(x3) !== undefined) throw BAIL;
            R7(w, x3);
          }
        }
      }
    }
    {
      const x4 = v["scores"];
      if (!Array.isArray(x4)) throw BAIL;
      if (x4.length > 0) {
        w.byte(42);
        w.uint32(x4.length * 4);
        for (let i1 = 0; i1 < x4.length; i1++) {
          const e0 = x4[i1];
          if (R8(e0) !== undefined) throw BAIL;
          R9(w, e0);
        }
      }
    }
    {
      const x5 = v["contact"];
      if (x5 !== undefined) {
        if (typeof x5 !== 'object' || x5 === null) throw BAIL;
        switch (x5.case) {
          case "phone": {
            const y2 = x5.value;
            if (y2 === undefined) throw BAIL;
            w.byte(50);
            if (typeof y2 !== 'string') throw BAIL;
            {
              const n = y2.length;
              let done = false;
              if (n < 128) {
                w.ensure(3 * n + 1);
                const b = w.buf, p = w.pos + 1;
                let i = 0;
                for (; i < n; i++) {
                  const c = y2.charCodeAt(i);
                  if (c > 127) break;
                  b[p + i] = c
                }
                if (i === n) {
                  b[p - 1] = n;
                  w.pos = p + n;
                  done = true
                } else if (n < 43) {
                  let q = p + i;
                  for (; i < n; i++) {
                    let c = y2.charCodeAt(i);
                    if (c < 128) b[q++] = c;
                    else if (c < 2048) {
                      b[q++] = 192 | (c >> 6);
                      b[q++] = 128 | (c & 63)
                    } else if (c < 55296 || c > 57343) {
                      b[q++] = 224 | (c >> 12);
                      b[q++] = 128 | ((c >> 6) & 63);
                      b[q++] = 128 | (c & 63)
                    } else {
                      const d = i + 1 < n ? y2.charCodeAt(i + 1) : 0;
                      if (c > 56319 || d < 56320 || d > 57343) break;
                      i++;
                      c = 65536 + ((c & 1023) << 10) + (d & 1023);
                      b[q++] = 240 | (c >> 18);
                      b[q++] = 128 | ((c >> 12) & 63);
                      b[q++] = 128 | ((c >> 6) & 63);
                      b[q++] = 128 | (c & 63)
                    }
                  }
                  if (i === n) {
                    b[p - 1] = q - p;
                    w.pos = q;
                    done = true
                  }
                }
              }
              if (!done) {
                if (R1(y2) !== undefined) throw BAIL;
                R2(w, y2);
              }
            }
            break
          }
          case "fax": {
            const y2 = x5.value;
            if (y2 === undefined) throw BAIL;
            w.byte(56);
            if (typeof y2 === 'number' && (y2 | 0) === y2 && y2 >= 0) {
              w.ensure(5);
              const b = w.buf;
              let p = w.pos, u = y2;
              while (u > 127) {
                b[p++] = (u & 127) | 128;
                u >>>= 7
              }
              b[p++] = u;
              w.pos = p;
            } else {
              if ((typeof y2 === 'number' && Number.isInteger(y2) && y2 >= 0 && y2 <= 9007199254740991)) {
                w.ensure(10);
                const b = w.buf;
                let p = w.pos, lo = y2 >>> 0, hi = Math.floor(y2 / 4294967296) >>> 0;
                while (hi !== 0) {
                  b[p++] = (lo & 127) | 128;
                  lo = ((lo >>> 7) | (hi << 25)) >>> 0;
                  hi >>>= 7
                }
                while (lo > 127) {
                  b[p++] = (lo & 127) | 128;
                  lo >>>= 7
                }
                b[p++] = lo;
                w.pos = p;
              } else {
                if (R10(y2) !== undefined) throw BAIL;
                R11(w, y2);
              }
            }
            break
          }
          default: throw BAIL;
        }
      }
    }
    w.raw(R12);
    {
      const x7 = v["legacy"];
      if (x7 === undefined) throw BAIL;
      w.byte(75);
      if (++ctx.depth > ctx.maxDepth) throw BAIL;
      R13.encode(w, x7, ctx);
      ctx.depth--;
      w.byte(76);
    }
    {
      const x8 = v["counts"];
      if (!R14(x8)) throw BAIL;
      {
        const entries3 = R15(x8);
        if (!Array.isArray(entries3)) throw BAIL;
        for (let i5 = 0; i5 < entries3.length; i5++) {
          const e4 = entries3[i5];
          w.byte(82);
          w.ensure(1);
          const m6 = w.pos++, xm6 = w.extra;
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          R16.encode(w, e4, ctx);
          ctx.depth--;
          {
            const n = w.pos - m6 - 1 + w.extra - xm6;
            if (n < 128) w.buf[m6] = n;
            else w.defer(m6, n);
          }
        }
      }
    }
    {
      const x9 = v["rest"];
      if (x9 !== undefined) R17.write(w, x9, ctx);
    }
  },
  decode(r, end, ctx, endGroup) {
    const buf = r.buf;
    let s0;
    let s1;
    let s2;
    let s3;
    const s4 = [];
    let s5, w11 = -1;
    let s6;
    let s7;
    const s8 = [];
    const s9 = [];
    for (;;) {
      if (r.pos >= end) {
        if (endGroup !== 0) throw BAIL;
        break
      }
      const st = r.pos;
      let t = buf[st];
      if (t < 0x80) r.pos = st + 1;
      else if (st + 1 < end && buf[st + 1] < 0x80) {
        t = (t & 0x7f) | (buf[st + 1] << 7);
        r.pos = st + 2;
      }
      else t = r.tag();
      switch (t) {
        case 10: {
          {
            const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n;
            if (n < 128 && e <= r.end) {
              let i = p + 1;
              while (i < e && b[i] < 128) i++;
              if (i === e) {
                r.pos = e;
                s0 = R19(b, p + 1, e)
              } else {
                const u = R20(b, p + 1, e);
                if (u !== undefined) {
                  r.pos = e;
                  s0 = u
                } else {
                  s0 = R18(r, r.pos);
                }
              }
            } else {
              s0 = R18(r, r.pos);
            }
          }
          continue;
        }
        case 16: {
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              s1 = n;
            } else {
              s1 = R21(r, r.pos);
            }
          }
          continue;
        }
        case 26: {
          {
            const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n;
            if (n < 128 && e <= r.end) {
              let i = p + 1;
              while (i < e && b[i] < 128) i++;
              if (i === e) {
                r.pos = e;
                s2 = R19(b, p + 1, e)
              } else {
                const u = R20(b, p + 1, e);
                if (u !== undefined) {
                  r.pos = e;
                  s2 = u
                } else {
                  s2 = R18(r, r.pos);
                }
              }
            } else {
              s2 = R18(r, r.pos);
            }
          }
          continue;
        }
        case 32: {
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              switch (n) {
                case 0: r.pos = p;
                s3 = "mobile";
                break;
                case 1: r.pos = p;
                s3 = "home";
                break;
                case 2: r.pos = p;
                s3 = "work";
                break;
                default: {
                  s3 = R22(r, r.pos);
                }
              }
            } else {
              s3 = R22(r, r.pos);
            }
          }
          continue;
        }
        case 45: {
          let v7;
          {
            const p = r.pos;
            if (p + 4 <= r.end) {
              v7 = r.view.getFloat32(p, true);
              r.pos = p + 4
            } else {
              v7 = R23(r, r.pos);
            }
          }
          s4.push(v7);
          continue;
        }
        case 42: {
          let e8;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e8 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e8 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e8 = -1;
            if (e8 < 0 || e8 > r.end) {
              r.pos = p;
              e8 = r.length()
            }
          }
          const o9 = r.end;
          r.end = e8;
          if ((e8 - r.pos) % 4 === 0) {
            const dv = r.view;
            const k = s4.length;
            if ((e8 - r.pos) / 4 > 16) {
              s4.push(0.5);
              s4.length = k + (e8 - r.pos) / 4
            }
            for (let p = r.pos, i = k; p < e8; p += 4) s4[i++] = dv.getFloat32(p, true);
            r.pos = e8;
          } else {
            while (r.pos < e8) {
              let v10;
              {
                const p = r.pos;
                if (p + 4 <= r.end) {
                  v10 = r.view.getFloat32(p, true);
                  r.pos = p + 4
                } else {
                  v10 = R23(r, r.pos);
                }
              }
              s4.push(v10);
            }
          }
          r.end = o9;
          continue;
        }
        case 50: {
          {
            const b = r.buf, p = r.pos, n = p < r.end ? b[p] : 128, e = p + 1 + n;
            if (n < 128 && e <= r.end) {
              let i = p + 1;
              while (i < e && b[i] < 128) i++;
              if (i === e) {
                r.pos = e;
                s5 = R19(b, p + 1, e)
              } else {
                const u = R20(b, p + 1, e);
                if (u !== undefined) {
                  r.pos = e;
                  s5 = u
                } else {
                  s5 = R18(r, r.pos);
                }
              }
            } else {
              s5 = R18(r, r.pos);
            }
          }
          w11 = 0;
          continue;
        }
        case 56: {
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              s5 = n;
            } else if (p < lim) {
              c = b[p++];
              const lo = (n | ((c & 15) << 28)) >>> 0;
              let hi = (c & 127) >> 4;
              k = 3;
              while (c > 127 && k < 32 && p < lim) {
                c = b[p++];
                hi |= (c & 127) << k;
                k += 7
              }
              const v = c < 128 ? R25(lo, hi >>> 0) : Number.NaN;
              if (v === v) {
                r.pos = p;
                s5 = v
              } else {
                s5 = R24(r, r.pos);
              }
            } else {
              s5 = R24(r, r.pos);
            }
          }
          w11 = 1;
          continue;
        }
        case 64: {
          let c12;
          {
            const b = r.buf, lim = r.end;
            let p = r.pos, n = 0, c = 128, k = 0;
            while (c > 127 && k < 28 && p < lim) {
              c = b[p++];
              n |= (c & 127) << k;
              k += 7
            }
            if (c < 128) {
              r.pos = p;
              c12 = n;
            } else if (p < lim) {
              c = b[p++];
              const lo = (n | ((c & 15) << 28)) >>> 0;
              let hi = (c & 127) >> 4;
              k = 3;
              while (c > 127 && k < 32 && p < lim) {
                c = b[p++];
                hi |= (c & 127) << k;
                k += 7
              }
              const v = c < 128 ? R25(lo, hi >>> 0) : Number.NaN;
              if (v === v) {
                r.pos = p;
                c12 = v
              } else {
                c12 = R24(r, r.pos);
              }
            } else {
              c12 = R24(r, r.pos);
            }
          }
          if (!R27(c12, R28)) throw BAIL;
          s6 = c12;
          continue;
        }
        case 75: {
          if (s7 !== undefined) throw BAIL;
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          s7 = R13.decode(r, r.end, ctx, 76);
          ctx.depth--;
          continue;
        }
        case 82: {
          let v13;
          let e14;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e14 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e14 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e14 = -1;
            if (e14 < 0 || e14 > r.end) {
              r.pos = p;
              e14 = r.length()
            }
          }
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          const o15 = r.end;
          r.end = e14;
          v13 = R29.decode(r, e14, ctx, 0);
          r.end = o15;
          ctx.depth--;
          s8.push(v13);
          continue;
        }
      }
      if ((t & 7) === 4) {
        if (t === endGroup) break;
        throw BAIL;
      }
      if (t < 8) throw BAIL;
      r.skip(t, st, ctx.maxDepth - ctx.depth);
      s9.push(buf.subarray(st, r.pos));
    }
    const v0 = (s0 === undefined ? R0() : s0);
    const v1 = (s1 === undefined ? R0() : s1);
    const v2 = (s2 === undefined ? undefined : s2);
    const v3 = (s3 === undefined ? R5 : s3);
    const v4 = s4;
    const v5 = (w11 < 0 ? undefined : { case: R26[w11], value: s5 });
    (s6 === undefined ? R0() : s6);
    const v7 = (s7 === undefined ? R0() : s7);
    const v8 = R30(s8);
    const v9 = R17.finish(s9, ctx, r.pos);
    const out = {
      "name": v0, "id": v1
    };
    if (v2 !== undefined) out["email"] = v2;
    out["kind"] = v3;
    out["scores"] = v4;
    if (v5 !== undefined) out["contact"] = v5;
    out["legacy"] = v7;
    out["counts"] = v8;
    if (v9 !== undefined) out["rest"] = v9;
    return out;
  }
}

// a vector of doubles
// R0: function bailOut
// R1: function checkNumber
// R2: function put
// R3: function get
return {
  encode(w, v, ctx) {
    if (!Array.isArray(v) || v.length !== 1) throw BAIL;
    {
      const x0 = v[0];
      if (!Array.isArray(x0)) throw BAIL;
      for (let i1 = 0; i1 < x0.length; i1++) {
        const e0 = x0[i1];
        w.byte(17);
        if (typeof e0 === 'number') w.double(e0);
        else {
          if (R1(e0) !== undefined) throw BAIL;
          R2(w, e0);
        }
      }
    }
  },
  decode(r, end, ctx, endGroup) {
    const buf = r.buf;
    const s0 = [];
    for (;;) {
      if (r.pos >= end) {
        if (endGroup !== 0) throw BAIL;
        break
      }
      const st = r.pos;
      let t = buf[st];
      if (t < 0x80) r.pos = st + 1;
      else if (st + 1 < end && buf[st + 1] < 0x80) {
        t = (t & 0x7f) | (buf[st + 1] << 7);
        r.pos = st + 2;
      }
      else t = r.tag();
      switch (t) {
        case 17: {
          let v2;
          {
            const p = r.pos;
            if (p + 8 <= r.end) {
              v2 = r.view.getFloat64(p, true);
              r.pos = p + 8
            } else {
              v2 = R3(r, r.pos);
            }
          }
          s0.push(v2);
          continue;
        }
        case 18: {
          let e3;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e3 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e3 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e3 = -1;
            if (e3 < 0 || e3 > r.end) {
              r.pos = p;
              e3 = r.length()
            }
          }
          const o4 = r.end;
          r.end = e3;
          if ((e3 - r.pos) % 8 === 0) {
            const dv = r.view;
            const k = s0.length;
            if ((e3 - r.pos) / 8 > 16) {
              s0.push(0.5);
              s0.length = k + (e3 - r.pos) / 8
            }
            for (let p = r.pos, i = k; p < e3; p += 8) s0[i++] = dv.getFloat64(p, true);
            r.pos = e3;
          } else {
            while (r.pos < e3) {
              let v5;
              {
                const p = r.pos;
                if (p + 8 <= r.end) {
                  v5 = r.view.getFloat64(p, true);
                  r.pos = p + 8
                } else {
                  v5 = R3(r, r.pos);
                }
              }
              s0.push(v5);
            }
          }
          r.end = o4;
          continue;
        }
      }
      if ((t & 7) === 4) {
        if (t === endGroup) break;
        throw BAIL;
      }
      if (t < 8) throw BAIL;
      r.skip(t, st, ctx.maxDepth - ctx.depth);
    }
    const v0 = s0;
    return [v0];
  }
}

// the XML file: user host types, lazy recursion, tuple oneof
// R0: function bailOut
// R1: function isElement
// R2: function encode
// R3: a compiled message
// R4: function decode
return {
  encode(w, v, ctx) {
    if (!Array.isArray(v) || v.length !== 1) throw BAIL;
    {
      const x0 = v[0];
      if (!Array.isArray(x0)) throw BAIL;
      for (let i1 = 0; i1 < x0.length; i1++) {
        const e0 = x0[i1];
        w.ensure(2);
        {
          const b = w.buf;
          let p = w.pos;
          b[p++] = 162;
          b[p++] = 1;
          w.pos = p;
        }
        if (!R1(e0)) throw BAIL;
        let y2;
        try {
          y2 = R2(e0)
        } catch {
          throw BAIL;
        }
        w.ensure(1);
        const m3 = w.pos++, xm3 = w.extra;
        if (++ctx.depth > ctx.maxDepth) throw BAIL;
        R3.encode(w, y2, ctx);
        ctx.depth--;
        {
          const n = w.pos - m3 - 1 + w.extra - xm3;
          if (n < 128) w.buf[m3] = n;
          else w.defer(m3, n);
        }
      }
    }
  },
  decode(r, end, ctx, endGroup) {
    const buf = r.buf;
    const s0 = [];
    for (;;) {
      if (r.pos >= end) {
        if (endGroup !== 0) throw BAIL;
        break
      }
      const st = r.pos;
      let t = buf[st];
      if (t < 0x80) r.pos = st + 1;
      else if (st + 1 < end && buf[st + 1] < 0x80) {
        t = (t & 0x7f) | (buf[st + 1] << 7);
        r.pos = st + 2;
      }
      else t = r.tag();
      switch (t) {
        case 162: {
          let v4;
          let a5;
          let e6;
          {
            const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256;
            if (c < 128) {
              e6 = p + 1 + c;
              r.pos = p + 1
            } else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) {
              e6 = p + 2 + ((c & 127) | (b[p + 1] << 7));
              r.pos = p + 2
            } else e6 = -1;
            if (e6 < 0 || e6 > r.end) {
              r.pos = p;
              e6 = r.length()
            }
          }
          if (++ctx.depth > ctx.maxDepth) throw BAIL;
          const o7 = r.end;
          r.end = e6;
          a5 = R3.decode(r, e6, ctx, 0);
          r.end = o7;
          ctx.depth--;
          try {
            v4 = R4(a5)
          } catch {
            throw BAIL;
          }
          s0.push(v4);
          continue;
        }
      }
      if ((t & 7) === 4) {
        if (t === endGroup) break;
        throw BAIL;
      }
      if (t < 8) throw BAIL;
      r.skip(t, st, ctx.maxDepth - ctx.depth);
    }
    const v0 = s0;
    return [v0];
  }
}

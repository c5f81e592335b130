"""Writes the raw seed inputs of every fuzz target to OUT, from the JSON in the tests' raw
strings, the API docs' examples (shared/api-docs) and small population files given as
arguments (`segments population generate FILE --rows 8 --edge`, .csv/.ndjson/.parquet).
The committed corpus is their libFuzzer merge:
  python3 seeds.py OUT API_DOCS_DIR [FILES...]
  target/x86_64-unknown-linux-gnu/release/TARGET -merge=1 corpus/TARGET OUT/TARGET
"""
import json, re, os, glob, hashlib, gzip, sys
root=os.path.abspath(os.path.join(os.path.dirname(__file__),'..','..'))
out=sys.argv[1]
api_docs=sys.argv[2]
def texts_from(path):
    s=open(path,errors='replace').read()
    if path.endswith('.rs'):
        return re.findall(r'r#"(.*?)"#', s, re.S)
    return [s]
def jsons(text):
    dec=json.JSONDecoder(); i=0; res=[]
    while i < len(text):
        if text[i] in '{[':
            try:
                v,end=dec.raw_decode(text,i); res.append(v); i=end; continue
            except Exception: pass
        i+=1
    return res
docs=sorted(glob.glob(api_docs+'/0*.txt'))
rs=[p for p in glob.glob(root+'/src-tauri/crates/**/*.rs',recursive=True) if '/bench/' not in p]
vals=[]
for p in docs+rs+[root+'/tests/e2e/segments-2026-11-21.json']:
    for t in texts_from(p):
        vals.extend(jsons(t))
def key(v): return json.dumps(v,sort_keys=True)
uniq={key(v):v for v in vals}
vals=list(uniq.values())
def is_seg(v): return isinstance(v,dict) and ('rules' in v or 'conditions' in v)
segs=[v for v in vals if is_seg(v)]
lists=[v for v in vals if isinstance(v,list) and any(is_seg(x) for x in v)] + [v for v in vals if isinstance(v,dict) and isinstance(v.get('data'),(list,dict))]
ctxs=[v for v in vals if isinstance(v,dict) and not is_seg(v) and 'data' not in v and len(v)>0 and len(json.dumps(v))<400][:40]
errs=[v for v in vals if isinstance(v,dict) and ('error' in v or 'message' in v or 'detail' in v)]
def write(target, data):
    d=os.path.join(out,target); os.makedirs(d,exist_ok=True)
    if isinstance(data,str): data=data.encode()
    open(os.path.join(d,hashlib.sha1(data).hexdigest()),'wb').write(data)
for v in segs+vals:
    write('parse_segment', json.dumps(v,indent=1))
for v in segs: write('parse_patch', json.dumps(v))
write('parse_patch','{"name":"New","key":"base","match_type":"any"}')
for i,v in enumerate(segs):
    for c in ctxs[i%len(ctxs):i%len(ctxs)+3]:
        write('compile_evaluate', json.dumps([v])+'\0'+json.dumps(c))
# pairs with references
refs=[v for v in segs if 'in_segment' in json.dumps(v)]
for v in refs:
    write('compile_evaluate', json.dumps([v]+segs[:6])+'\0'+json.dumps(ctxs[0] if ctxs else {}))
for v in lists+[[s] for s in segs]: write('import_export', json.dumps(v,indent=1))
for v in segs:
    t=json.dumps(v).encode()
    for d in range(3): write('dialect_roundtrip', bytes([d])+t)
for v in vals:
    if isinstance(v,(dict,list)):
        t=json.dumps(v).encode()
        for d in range(3):
            write('remote_responses', bytes([d])+t)      # list page
            if isinstance(v,dict): write('remote_responses', bytes([3+d])+t)  # one
for v in errs: write('remote_responses', bytes([6])+json.dumps(v).encode())
for b in [b'', b'<html>502 Bad Gateway</html>', b'{"error":{"message":"token expired"}}', b'{"detail":"rate limited"}', 'é'.encode()*200]:
    write('remote_responses', bytes([6])+b)
for r in ['7',' 120 ','Sun, 06 Nov 1994 08:49:37 GMT','Wed, 21 Oct 2099 07:28:00 GMT','soon','18446744073709551615']:
    write('remote_responses', bytes([9])+r.encode())
sv=['1.0.0-alpha','1.0.0-alpha.1','1.0.0-alpha.beta','1.0.0-beta','1.0.0-beta.2','1.0.0-beta.11','1.0.0-rc.1','1.0.0','2.0.0','2.1.0','2.1.1','1.4','v2','1.0.0+build.7','1.0.0+other','01.2.3','1.2.3-01','1.2.3.4','v1.4.0','2.3.1']
for a in sv:
    for b in sv[::4]: write('semver_order', a+'\n'+b)
for n in ['Pro Users (EU)','Beta Testers','Enterprise Users','  ','ÉCOLE été','a'*300,'K-K_K.K','---x---','Ünïcödé 123']:
    write('key_derivation', b'\x02\x00\x00\x00'+n.encode())
for v in segs:
    if 'name' in v and isinstance(v['name'],str): write('key_derivation', b'\x05\x00\x00\x00'+v['name'].encode())
# populations: tiny files in every format; pick byte = index into NAMES (+8: skip invalid)
csv='plan,seats,address.country,platform,app_version,signed_up_at,email,beta_optin\npro,12,US,ios,2.3.1,2026-03-04T09:00:00Z,ada@ACME.com,true\nfree,1,DE,android,1.0,2025-01-01T00:00:00Z,bob@example.org,\n'
nd='{"plan":"pro","seats":12,"address":{"country":"US"},"platform":"ios","app_version":"2.3.1","signed_up_at":"2026-03-04T09:00:00Z","email":"ada@ACME.com","beta_optin":true}\n{"plan":"free","seats":1.5,"tags":["a"],"address":null}\n\n{"plan":"enterprise"}\n'
for pick,data in [(0,csv.encode()),(1,nd.encode()),(3,gzip.compress(csv.encode(),mtime=0)),(4,gzip.compress(nd.encode(),mtime=0)),(10,(csv+'x,"unterminated\n').encode()),(11,(nd+'not json\n').encode())]:
    write('population_count', bytes([pick])+data)
for p in sys.argv[3:]:
    pick={'csv':0,'ndjson':1,'parquet':2}[p.rsplit('.',1)[1]]
    write('population_count', bytes([pick])+open(p,'rb').read())
for t in sorted(os.listdir(out)): print(t, len(os.listdir(os.path.join(out,t))))

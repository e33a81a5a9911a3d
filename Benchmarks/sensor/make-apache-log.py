#!/usr/bin/env python3
"""Writes a synthetic Apache combined log of about SIZE bytes for scripts/bench-sensor.

Usage: make-apache-log.py FILE SIZE_BYTES [SEED]

Ordinary traffic (pages, images, queries, some percent-encoded paths, many agents and
referrers) with about 0.5 % worm lines: Code Red I and II requests and Nimda's traversal
probes as servers logged them in 2001. Lines are built in blocks of 20,000 and each block's
times advance by its own minutes, so the file is fast to make and every line parses.
"""
import random, sys

path, size = sys.argv[1], int(float(sys.argv[2]))
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
pages = ["/", "/index.html", "/about/team.html", "/products/list.php?cat=12&page=3", "/images/logo.gif",
         "/css/site.css", "/js/menu.js", "/search?q=network+telescope", "/files/report%202001.pdf",
         "/news/2001/07/19/story.html", "/cgi-bin/counter.pl", "/icons/blank.gif", "/favicon.ico",
         "/forum/viewtopic.php?t=4412&start=15", "/download/setup.exe", "/images/photos/IMG_0042.JPG"]
agents = ["Mozilla/4.0 (compatible; MSIE 5.5; Windows NT 5.0)", "Mozilla/4.0 (compatible; MSIE 6.0; Windows 98)",
          "Mozilla/5.0 (X11; U; Linux i686; en-US; rv:0.9.2) Gecko/20010726", "Googlebot/2.1 (+http://www.googlebot.com/bot.html)",
          "Opera/5.12 (Windows 2000; U)  [en]", "Wget/1.7"]
referers = ["-", "http://www.google.com/search?q=code+red", "http://www.example.org/links.html", "http://slashdot.org/"]
cr1 = "/default.ida?" + "N" * 224 + "%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a"
cr2 = cr1.replace("N", "X")
nimda = ["/scripts/root.exe?/c+dir", "/MSADC/root.exe?/c+dir", "/c/winnt/system32/cmd.exe?/c+dir",
         "/scripts/..%255c../winnt/system32/cmd.exe?/c+dir", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir"]
months = ["Jul", "Aug"]

def ip():
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

def block(b):
    day = 1 + b % 28
    lines = []
    for i in range(20000):
        sec = i * 4 // 1000
        t = f"{day:02d}/{months[b % 2]}/2001:{10 + sec // 3600 % 14:02d}:{sec // 60 % 60:02d}:{sec % 60:02d} -0700"
        r = rng.random()
        if r < 0.003:
            req, status, agent, ref = f"GET {cr1} HTTP/1.0", 404, "-", "-"
        elif r < 0.004:
            req, status, agent, ref = f"GET {cr2} HTTP/1.0", 404, "-", "-"
        elif r < 0.005:
            req, status, agent, ref = f"GET {rng.choice(nimda)} HTTP/1.0", 404, "-", "-"
        else:
            req = f"GET {rng.choice(pages)} HTTP/1.{rng.randint(0, 1)}"
            status, agent, ref = rng.choice([200, 200, 200, 304, 404]), rng.choice(agents), rng.choice(referers)
        lines.append(f'{ip()} - - [{t}] "{req}" {status} {rng.randint(200, 60000)} "{ref}" "{agent}"\n')
    return "".join(lines).encode()

written = 0
with open(path, "wb") as f:
    blocks = [block(b) for b in range(8)]
    b = 0
    while written < size:
        data = blocks[b % len(blocks)]
        f.write(data)
        written += len(data)
        b += 1
print(f"{path}: {written} bytes", file=sys.stderr)

#!/usr/bin/env python3
"""Checks the packages `dotnet pack -c Release -o artifacts/packages` produced against what the packaging issue
promises: metadata, readme, license, tags, per-framework assemblies with their XML docs, symbol packages, and
dependencies (Metrics.Core: none; Metrics.AspNetCore: Metrics.Core of the same version plus the ASP.NET Core
framework reference). With CI=true it also checks that the build was a ContinuousIntegrationBuild: the assemblies
hold no path of the machine that built them.

    python3 tests/package-check.py [artifacts/packages]
"""
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "artifacts", "packages")
FRAMEWORKS = ["net10.0", "net8.0"]
TAGS = "prometheus metrics openmetrics aspnetcore observability"
PLACEHOLDER_URL = "https://example.invalid/metrics"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def version_from_props():
    props = open(os.path.join(ROOT, "src", "Directory.Build.props")).read()
    versions = re.findall(r"<Version>([^<]+)</Version>", props)
    check(len(versions) == 1, f"src/Directory.Build.props must set <Version> exactly once, found {versions}")
    return versions[0]


def nuspec_of(archive):
    names = [n for n in archive.namelist() if n.endswith(".nuspec")]
    root = ET.fromstring(archive.read(names[0]))
    namespace = root.tag[: root.tag.index("}") + 1]
    return root.find(f"{namespace}metadata"), namespace


def check_package(package_id, version, description_words):
    path = os.path.join(FEED, f"{package_id}.{version}.nupkg")
    symbols = os.path.join(FEED, f"{package_id}.{version}.snupkg")
    if not os.path.isfile(path) or not os.path.isfile(symbols):
        failures.append(f"{path} or its .snupkg is missing: run dotnet pack -c Release -o artifacts/packages")
        return
    with zipfile.ZipFile(path) as archive:
        files = set(archive.namelist())
        metadata, ns = nuspec_of(archive)
        text = lambda tag: (metadata.findtext(f"{ns}{tag}") or "").strip()
        check(text("id") == package_id, f"{package_id}: id is {text('id')!r}")
        check(text("version") == version, f"{package_id}: version is {text('version')!r}, the props say {version}")
        check(text("authors") != "", f"{package_id}: no authors")
        description = text("description")
        check(description != "Package Description" and all(w in description for w in description_words),
              f"{package_id}: description {description!r} does not describe the package")
        check(text("tags") == TAGS, f"{package_id}: tags are {text('tags')!r}, expected {TAGS!r}")
        license_element = metadata.find(f"{ns}license")
        check(license_element is not None and license_element.get("type") == "expression"
              and license_element.text == "MIT", f"{package_id}: license is not the MIT expression")
        check(text("readme") == "README.md" and "README.md" in files, f"{package_id}: no package readme")
        check(text("projectUrl") == PLACEHOLDER_URL, f"{package_id}: projectUrl is {text('projectUrl')!r}")
        repository = metadata.find(f"{ns}repository")
        check(repository is not None and re.fullmatch(r"[0-9a-f]{40}", repository.get("commit", "")),
              f"{package_id}: no repository commit in the nuspec")
        for framework in FRAMEWORKS:
            for extension in ("dll", "xml"):
                entry = f"lib/{framework}/{package_id}.{extension}"
                check(entry in files, f"{package_id}: {entry} is not in the package")
            assembly = f"lib/{framework}/{package_id}.dll"
            # The assembly names its PDB by path: /_/ under ContinuousIntegrationBuild, the build folder otherwise.
            if os.environ.get("CI") == "true" and assembly in files:
                check(ROOT.encode() not in archive.read(assembly),
                      f"{package_id}: {assembly} holds the build path {ROOT}: ContinuousIntegrationBuild was off")
        unexpected = sorted(f for f in files if f.startswith("lib/") and not any(
            f == f"lib/{fw}/{package_id}.{ext}" for fw in FRAMEWORKS for ext in ("dll", "xml")))
        check(not unexpected, f"{package_id}: unexpected files {unexpected}")

        groups = metadata.findall(f"{ns}dependencies/{ns}group")
        check(sorted(g.get("targetFramework") for g in groups) == sorted(FRAMEWORKS),
              f"{package_id}: dependency groups {[g.get('targetFramework') for g in groups]}")
        for group in groups:
            found = [(d.get("id"), d.get("version")) for d in group.findall(f"{ns}dependency")]
            expected = [] if package_id == "Metrics.Core" else [("Metrics.Core", version)]
            check(found == expected, f"{package_id} {group.get('targetFramework')}: dependencies {found}, expected {expected}")
        framework_references = sorted(
            (g.get("targetFramework"), r.get("name"))
            for g in metadata.findall(f"{ns}frameworkReferences/{ns}group")
            for r in g.findall(f"{ns}frameworkReference"))
        expected_references = [] if package_id == "Metrics.Core" else [(fw, "Microsoft.AspNetCore.App") for fw in sorted(FRAMEWORKS)]
        check(framework_references == expected_references,
              f"{package_id}: framework references {framework_references}, expected {expected_references}")

    with zipfile.ZipFile(symbols) as archive:
        for framework in FRAMEWORKS:
            entry = f"lib/{framework}/{package_id}.pdb"
            check(entry in archive.namelist(), f"{package_id}: {entry} is not in the symbol package")

    print(f"{package_id} {version}: nupkg {os.path.getsize(path)} bytes, snupkg {os.path.getsize(symbols)} bytes")


version = version_from_props()
check_package("Metrics.Core", version, ["Dependency-free", "Prometheus"])
check_package("Metrics.AspNetCore", version, ["ASP.NET Core", "/metrics"])
for failure in failures:
    print(f"FAIL: {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)

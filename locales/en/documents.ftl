# Documents and civil registration (dialogs/documents.toml). Facts: locales/facts.toml,
# Documents and civil registration. No fees, deadlines or office addresses.

documents-title = Documents and civil registration

documents-menu = 📄 Documents and civil registration. What do you need?

## Buttons (short)

documents-btn-civil = Birth, marriage, heirs
documents-btn-address = Address registration
documents-btn-id = ID card and passport

## Answers

documents-civil-status =
    Civil-status documents are issued by the district administration (районна администрация), at its civil registration service (ГРАО): birth certificates and their duplicates, marriage certificates, certificates of heirs and death-certificate extracts.
    For the documents you need, and whether you can apply online, see the municipality's catalogue of services:
    { $fact-sofia-services-web }

documents-address =
    Address registration (permanent and current address) and address certificates are handled by the district administration (районна администрация), at its civil registration service (ГРАО).
    With a qualified electronic signature you can also register online. The service is being introduced district by district and may not cover yours yet, so please check on the website:
    { $fact-address-registration-web }

documents-id-card =
    Identity cards and passports are not issued by the municipality but by the Ministry of Interior (МВР). In Sofia, the Sofia Directorate of Interior (СДВР) issues them, in its Bulgarian identity documents section.
    For where and how to apply, see the Ministry's website:
    { $fact-mvr-web }

"""OCOP vocabulary: the six product groups of Decision 148/2023 with their product sets, certificate
statuses and issuing levels. Product-set wording is [U] in ocop-domain.md: it is data, correct it here."""
from storefront.vocab import Choice, Vocabulary

GROUPS = Vocabulary(
    [
        Choice("thuc_pham", "Thực phẩm", "Food"),
        Choice("do_uong", "Đồ uống", "Beverages"),
        Choice("duoc_lieu", "Dược liệu và sản phẩm từ dược liệu", "Herbal and medicinal products"),
        Choice("thu_cong_my_nghe", "Hàng thủ công mỹ nghệ", "Handicrafts"),
        Choice("sinh_vat_canh", "Sinh vật cảnh", "Ornamental plants and animals"),
        Choice("du_lich", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Community and eco-tourism services"),
    ],
    # Short forms people type, and the legacy 2018-2019 groups, accepted on import.
    aliases={
        "dược liệu": "duoc_lieu",
        "thảo dược": "duoc_lieu",
        "thủ công mỹ nghệ": "thu_cong_my_nghe",
        "vải và may mặc": "thu_cong_my_nghe",
        "vải, may mặc": "thu_cong_my_nghe",
        "lưu niệm - nội thất - trang trí": "thu_cong_my_nghe",
        "đồ lưu niệm, nội thất, trang trí": "thu_cong_my_nghe",
        "du lịch": "du_lich",
        "dịch vụ du lịch": "du_lich",
        "du lịch nông thôn": "du_lich",
        "dịch vụ du lịch nông thôn, bán hàng": "du_lich",
    },
)

# Groups whose products are services, not shippable goods (no weight, no shipping).
SERVICE_GROUPS = frozenset({"du_lich"})
# Groups treated as food for labelling and marketplace rules.
FOOD_GROUPS = frozenset({"thuc_pham", "do_uong", "duoc_lieu"})

_SETS = {
    "thuc_pham": [
        ("rau_cu_qua_tuoi", "Rau, củ, quả, hạt tươi", "Fresh vegetables, fruit and nuts"),
        ("thit_trung_sua_tuoi", "Thịt, trứng, sữa tươi", "Fresh meat, eggs and milk"),
        ("gao_ngu_coc", "Gạo, ngũ cốc", "Rice and cereals"),
        ("mat_ong", "Mật ong, sản phẩm từ mật ong", "Honey and honey products"),
        ("che_bien_gao", "Chế biến từ gạo, ngũ cốc", "Processed rice and cereal products"),
        ("che", "Chè tươi, chế biến", "Tea, fresh and processed"),
        ("ca_phe_ca_cao", "Cà phê, ca cao", "Coffee and cocoa"),
        ("nuoc_mam_gia_vi_long", "Tương, nước mắm, gia vị dạng lỏng khác", "Sauces, fish sauce and other liquid seasonings"),
        ("gia_vi", "Gia vị khác", "Other seasonings"),
        ("che_bien_rau_qua", "Chế biến từ rau, củ, quả, hạt", "Processed fruit, vegetables and nuts"),
        ("che_bien_thit_trung_sua", "Chế biến từ thịt, trứng, sữa", "Processed meat, eggs and milk"),
        ("thuy_hai_san", "Chế biến từ thủy, hải sản", "Processed fish and seafood"),
        ("banh_keo_mut", "Bánh, kẹo, mứt", "Cakes, sweets and jams"),
    ],
    "do_uong": [
        ("ruou_trang", "Rượu trắng", "Rice spirits"),
        ("do_uong_co_con_khac", "Đồ uống có cồn khác", "Other alcoholic drinks"),
        ("do_uong_khong_con", "Đồ uống không cồn", "Soft drinks"),
    ],
    "duoc_lieu": [
        ("thuc_pham_chuc_nang", "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền", "Supplements and traditional medicines"),
        ("my_pham_thao_duoc", "Mỹ phẩm có thành phần từ thảo dược", "Herbal cosmetics"),
        ("tinh_dau_thao_duoc", "Tinh dầu và thảo dược khác", "Essential oils and other herbs"),
    ],
    "thu_cong_my_nghe": [
        ("tcmn_gia_dung", "Thủ công mỹ nghệ gia dụng, trang trí", "Household and decorative crafts"),
        ("vai_may_mac", "Vải, may mặc", "Textiles and garments"),
    ],
    "sinh_vat_canh": [
        ("hoa_cay_canh", "Hoa, cây cảnh", "Flowers and ornamental plants"),
        ("dong_vat_canh", "Động vật cảnh", "Ornamental animals"),
    ],
    "du_lich": [
        ("du_lich_cong_dong", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Community tourism, eco-tourism and destinations"),
    ],
}

PRODUCT_SETS = Vocabulary(Choice(code, vi, en) for sets in _SETS.values() for code, vi, en in sets)
SET_GROUP = {code: group for group, sets in _SETS.items() for code, _vi, _en in sets}


def sets_of(group):
    return [PRODUCT_SETS.get(code) for code, _vi, _en in _SETS.get(group, [])]


CERT_STATUSES = Vocabulary(
    [
        Choice("certified", "Đã công nhận", "Certified"),
        Choice("potential_5", "Tiềm năng 5 sao", "Potential 5-star"),
        Choice("expired", "Hết hiệu lực", "Expired"),
        Choice("revoked", "Bị thu hồi", "Revoked"),
    ],
    aliases={"đạt": "certified", "công nhận": "certified", "tiềm năng": "potential_5", "p5": "potential_5",
             "hết hạn": "expired", "thu hồi": "revoked"},
)
# Statuses that can make a badge valid (while the certificate has not lapsed).
LIVE_STATUSES = frozenset({"certified", "potential_5"})

ISSUING_LEVELS = Vocabulary(
    [
        Choice("district", "Cấp huyện", "District"),
        Choice("province", "Cấp tỉnh", "Province"),
        Choice("central", "Cấp trung ương", "Central"),
    ]
)

STARS = (3, 4, 5)
CERTIFICATE_MONTHS = 36
